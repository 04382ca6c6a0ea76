package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hypnostream.broker.EmbeddedKafka;

/** Runs the JDK's {@code keytool} (self-signed certificates for TLS tests on loopback; nothing downloaded). */
public final class SelfSigned {
    private SelfSigned() {
    }

    /**
     * A PKCS#12 key store {@code keyStore} with an EC key pair and a self-signed certificate for localhost/127.0.0.1
     * (valid 2 days) under {@code alias}, and that certificate as PEM in {@code cert}.
     */
    public static void keyPair(Path keyStore, Path cert, String alias, String password) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", password,
                "-file", cert.toString());
    }

    /** A Kafka listener's certificate and what a client needs to trust it. */
    public record KafkaBroker(EmbeddedKafka.Tls tls, Map<String, String> trustSettings) {
    }

    /**
     * In {@code dir}: the broker's key store (as {@link #keyPair}) and a PKCS#12 trust store holding its certificate;
     * the trust store as {@code kafka.ssl.truststore.*} settings.
     */
    public static KafkaBroker kafkaBroker(Path dir, String password) throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("truststore.p12");
        keyPair(keyStore, cert, "broker", password);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        return new KafkaBroker(new EmbeddedKafka.Tls(keyStore, password), Map.of(
                "kafka.ssl.truststore.location", trustStore.toString(),
                "kafka.ssl.truststore.password", password,
                "kafka.ssl.truststore.type", "PKCS12"));
    }

    /**
     * For mutual TLS, in {@code dir}: a client key store (as {@link #keyPair}, alias {@code name}) as
     * {@code kafka.ssl.keystore.*} settings, and a PKCS#12 trust store with the client's certificate for the broker
     * ({@link EmbeddedKafka.Tls#clientTrustStore()}).
     */
    public record KafkaClient(Path brokerTrustStore, Map<String, String> keySettings) {
    }

    public static KafkaClient kafkaClient(Path dir, String name, String password) throws Exception {
        Path keyStore = dir.resolve(name + ".p12");
        Path cert = dir.resolve(name + ".crt");
        Path brokerTrustStore = dir.resolve("broker-truststore.p12");
        keyPair(keyStore, cert, name, password);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", brokerTrustStore.toString(), "-storepass", password);
        return new KafkaClient(brokerTrustStore, Map.of(
                "kafka.ssl.keystore.location", keyStore.toString(),
                "kafka.ssl.keystore.password", password,
                "kafka.ssl.key.password", password,
                "kafka.ssl.keystore.type", "PKCS12"));
    }

    public static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }
}
