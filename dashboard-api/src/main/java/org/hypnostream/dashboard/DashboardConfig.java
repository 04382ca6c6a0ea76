package org.hypnostream.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.dashboard.auth.PasswordHasher;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.UserDirectory;

/**
 * Dashboard configuration. TLS is on when {@code tlsKeyStore} (PKCS#12) is set.
 *
 * @param staleAfter       a bed with no event for longer than this is shown stale (default 60 s = 2 epochs)
 * @param loginsPerMinute  sign-in attempts per remote address per minute
 * @param requestsPerSecond REST requests and websocket handshakes per user per second (burst = 5 x this)
 * @param kafkaSettings    Kafka client properties ({@code kafka.*} keys, prefix stripped: TLS, SASL, timeouts) given to
 *                         the feed's consumer and the action/dead-letter producers; what the dashboard needs (isolation
 *                         level, no auto commit, idempotence, acks=all) is set over them
 * @param sessionDir       token signing key and signed-out tokens (sign-ins survive a restart); null = in memory
 */
public record DashboardConfig(
        String bootstrapServers,
        String httpHost,
        int httpPort,
        Path usersFile,
        Path tlsKeyStore,
        String tlsKeyStorePassword,
        Duration tokenTtl,
        Duration staleAfter,
        int loginsPerMinute,
        int requestsPerSecond,
        int maxSocketsPerUser,
        Map<String, String> kafkaSettings,
        Path sessionDir) {

    /** Without a session directory (sign-ins in memory). */
    public DashboardConfig(String bootstrapServers, String httpHost, int httpPort, Path usersFile, Path tlsKeyStore,
            String tlsKeyStorePassword, Duration tokenTtl, Duration staleAfter, int loginsPerMinute, int requestsPerSecond,
            int maxSocketsPerUser, Map<String, String> kafkaSettings) {
        this(bootstrapServers, httpHost, httpPort, usersFile, tlsKeyStore, tlsKeyStorePassword, tokenTtl, staleAfter,
                loginsPerMinute, requestsPerSecond, maxSocketsPerUser, kafkaSettings, null);
    }

    /** Without extra Kafka client settings. */
    public DashboardConfig(String bootstrapServers, String httpHost, int httpPort, Path usersFile, Path tlsKeyStore,
            String tlsKeyStorePassword, Duration tokenTtl, Duration staleAfter, int loginsPerMinute, int requestsPerSecond,
            int maxSocketsPerUser) {
        this(bootstrapServers, httpHost, httpPort, usersFile, tlsKeyStore, tlsKeyStorePassword, tokenTtl, staleAfter,
                loginsPerMinute, requestsPerSecond, maxSocketsPerUser, Map.of());
    }

    public DashboardConfig {
        kafkaSettings = kafkaSettings == null ? Map.of() : Map.copyOf(kafkaSettings);
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(usersFile, "usersFile");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http port " + httpPort + " outside 0..65535");
        }
        if (loginsPerMinute < 1 || requestsPerSecond < 1 || maxSocketsPerUser < 1) {
            throw new IllegalArgumentException("dashboard limits must be >= 1");
        }
        if (tlsKeyStore != null && tlsKeyStorePassword == null) {
            throw new IllegalArgumentException("TLS key store " + tlsKeyStore + " without a password");
        }
    }

    /** The sign-in details of the demo user, with the configuration that knows them. */
    public record DemoLogin(DashboardConfig config, String user, String password, String ward) {
    }

    /** Plain defaults: 127.0.0.1:8080, no TLS. */
    public static DashboardConfig of(String bootstrapServers, Path usersFile, int httpPort) {
        return new DashboardConfig(bootstrapServers, "127.0.0.1", httpPort, usersFile, null, null,
                Duration.ofHours(12), Duration.ofSeconds(60), 20, 50, 20);
    }

    /** Never prints Kafka setting values (they may hold passwords), only their keys. */
    @Override
    public String toString() {
        return "DashboardConfig[bootstrapServers=" + bootstrapServers + ", kafkaSettings=" + kafkaSettings.keySet() + ", ...]";
    }

    /** This configuration with {@code settings} as its Kafka client settings. */
    public DashboardConfig withKafkaSettings(Map<String, String> settings) {
        return new DashboardConfig(bootstrapServers, httpHost, httpPort, usersFile, tlsKeyStore, tlsKeyStorePassword,
                tokenTtl, staleAfter, loginsPerMinute, requestsPerSecond, maxSocketsPerUser, settings, sessionDir);
    }

    /** This configuration with its token key and sign-outs kept under {@code dir} (null: in memory). */
    public DashboardConfig withSessionDir(Path dir) {
        return new DashboardConfig(bootstrapServers, httpHost, httpPort, usersFile, tlsKeyStore, tlsKeyStorePassword,
                tokenTtl, staleAfter, loginsPerMinute, requestsPerSecond, maxSocketsPerUser, kafkaSettings, dir);
    }

    /**
     * From HYPNOSTREAM_* environment variables, system properties and {@code overrides} (highest precedence), every
     * {@code kafka.*} key included.
     */
    public static DashboardConfig fromEnvironment(Map<String, String> overrides) {
        return from(ConfigReader.fromEnvironment(overrides)).withKafkaSettings(KafkaOverrides.fromEnvironment(overrides));
    }

    public static DashboardConfig from(ConfigReader r) {
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        String host = r.string("dashboard.http.host", "127.0.0.1", "HTTP listen address");
        int port = r.intInRange("dashboard.http.port", 8080, 0, 65535, "HTTP port (0 = any free port)");
        Path users = r.path("dashboard.users.file", null, "users file: name:wards:iterations:salt:hash per line (PBKDF2WithHmacSHA256)");
        String ks = r.string("dashboard.tls.keystore", "", "PKCS#12 key store; set to serve HTTPS/WSS");
        String ksPass = r.string("dashboard.tls.keystore.password", "", "password of the TLS key store");
        long ttl = r.longInRange("dashboard.token.ttl.minutes", 720, 1, 7 * 24 * 60, "sign-in token lifetime");
        long stale = r.longInRange("dashboard.stale.seconds", 60, 5, 3600, "no event for this long = bed shown stale");
        int logins = r.intInRange("dashboard.logins.per.minute", 20, 1, 10_000, "sign-in attempts per remote address per minute");
        int rps = r.intInRange("dashboard.requests.per.second", 50, 1, 100_000, "REST requests and websocket handshakes per user per second");
        int sockets = r.intInRange("dashboard.max.sockets.per.user", 20, 1, 10_000, "open websockets per user");
        String sessions = r.string("dashboard.session.dir", "", "directory of the token signing key (session.key, "
                + "created on first start) and the signed-out tokens: sign-ins survive a restart and are shared by "
                + "instances on the same directory; empty = in memory, a restart signs everyone out");
        r.validate();
        return new DashboardConfig(bootstrap, host, port, users, ks.isEmpty() ? null : Path.of(ks),
                ksPass.isEmpty() ? null : ksPass, Duration.ofMinutes(ttl), Duration.ofSeconds(stale), logins, rps, sockets,
                Map.of(), sessions.isEmpty() ? null : Path.of(sessions));
    }

    /** The README config table. */
    public static String describe() {
        ConfigReader r = ConfigReader.of(Map.of("dashboard.users.file", "users.txt"));
        from(r);
        return r.describe();
    }

    /**
     * Writes {@code dir/users.txt} with the demo's users of ward "ward-a", one per role that works a night: "nurse",
     * "technologist" (admits, ends, reviews) and "physician" (signs), sharing one fresh random password.
     */
    public static DemoLogin demo(Path dir, String bootstrapServers, int httpPort) throws IOException {
        Files.createDirectories(dir);
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "# hypnostream demo users (name:wards:iterations:salt:hash)\n"
                + UserDirectory.line("nurse", Set.of("ward-a"), password.toCharArray(), PasswordHasher.DEFAULT_ITERATIONS) + "\n"
                + UserDirectory.line("technologist", Set.of("ward-a"), password.toCharArray(), PasswordHasher.DEFAULT_ITERATIONS,
                        Role.TECHNOLOGIST) + "\n"
                + UserDirectory.line("physician", Set.of("ward-a"), password.toCharArray(), PasswordHasher.DEFAULT_ITERATIONS,
                        Role.PHYSICIAN) + "\n",
                StandardCharsets.UTF_8);
        return new DemoLogin(of(bootstrapServers, users, httpPort).withSessionDir(dir.resolve("sessions")), "nurse", password,
                "ward-a");
    }
}
