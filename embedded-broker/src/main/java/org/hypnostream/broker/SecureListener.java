package org.hypnostream.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.hypnostream.broker.EmbeddedKafka.Sasl;
import org.hypnostream.broker.EmbeddedKafka.Tls;

/**
 * Listener and security set-up: the one secure listener a test broker may have besides the plaintext one, on its own
 * loopback port: SSL ({@code tls} only), SASL_PLAINTEXT ({@code sasl} only) or SASL_SSL (both); its name is its
 * protocol. Gives the listener's broker settings (key store, client authentication, SASL mechanism and JAAS line, the
 * ACL authorizer) and creates SCRAM users once the broker runs.
 */
record SecureListener(Tls tls, Sasl sasl, int port) {
    SecureListener {
        if (tls == null && sasl == null) {
            throw new IllegalArgumentException("a secure listener needs TLS, SASL or both");
        }
    }

    String protocol() {
        return sasl == null ? "SSL" : tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** The listener's settings ({@code listener.name.<protocol>.*}) and, with ACLs, the authorizer's. */
    Map<String, Object> settings() {
        Map<String, Object> p = new HashMap<>();
        String prefix = "listener.name." + protocol().toLowerCase(Locale.ROOT) + ".";
        if (tls != null) {
            p.put(prefix + "ssl.keystore.type", "PKCS12");
            p.put(prefix + "ssl.keystore.location", tls.keyStore().toAbsolutePath().toString());
            p.put(prefix + "ssl.keystore.password", tls.password());
            p.put(prefix + "ssl.key.password", tls.password());
            if (tls.clientTrustStore() == null) {
                p.put(prefix + "ssl.client.auth", "none");
            } else {
                p.put(prefix + "ssl.client.auth", "required");
                p.put(prefix + "ssl.truststore.type", "PKCS12");
                p.put(prefix + "ssl.truststore.location", tls.clientTrustStore().toAbsolutePath().toString());
                p.put(prefix + "ssl.truststore.password", tls.password());
            }
        }
        if (sasl != null) {
            p.put(prefix + "sasl.enabled.mechanisms", sasl.mechanism());
            p.put(prefix + sasl.mechanism().toLowerCase(Locale.ROOT) + ".sasl.jaas.config", jaasConfig(sasl));
            if (sasl.acls()) {
                p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                p.put("super.users", "User:ANONYMOUS");
                p.put("allow.everyone.if.no.acl.found", "false");
            }
        }
        return p;
    }

    boolean scram() {
        return sasl != null && sasl.mechanism().startsWith("SCRAM");
    }

    /** The broker side: for PLAIN one {@code user_<name>="<password>"} option per user; SCRAM keeps them in KRaft. */
    static String jaasConfig(Sasl sasl) {
        if (sasl.mechanism().startsWith("SCRAM")) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        }
        StringBuilder b = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        new TreeMap<>(sasl.users()).forEach((name, password) -> b.append(" user_").append(name).append("=\"")
                .append(password).append('"'));
        return b.append(';').toString();
    }

    /**
     * Creates the SASL users' SCRAM credentials (4096 iterations) through the plaintext listener at
     * {@code bootstrapServers} and waits until the broker knows all of them; nothing to do for PLAIN or TLS only.
     */
    void createScramUsers(String bootstrapServers) {
        if (!scram()) {
            return;
        }
        ScramMechanism m = ScramMechanism.fromMechanismName(sasl.mechanism());
        List<UserScramCredentialAlteration> upserts = new ArrayList<>();
        sasl.users().forEach((name, password) -> upserts.add(new UserScramCredentialUpsertion(
                name, new ScramCredentialInfo(m, 4096), password)));
        BrokerAdmin.createAndAwait(bootstrapServers, "SCRAM credentials",
                admin -> admin.alterUserScramCredentials(upserts).all(),
                admin -> admin.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS)
                        .containsAll(sasl.users().keySet()));
    }
}
