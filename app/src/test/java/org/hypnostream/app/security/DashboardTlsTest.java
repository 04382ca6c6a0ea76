package org.hypnostream.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.hypnostream.app.SelfSigned;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.dashboard.DashboardConfig;
import org.hypnostream.dashboard.DashboardServer;
import org.hypnostream.dashboard.feed.AlertActionSink;
import org.hypnostream.dashboard.feed.DashboardEvent;
import org.hypnostream.dashboard.feed.EventSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard over TLS on loopback with a self-signed certificate made by {@code keytool} (PKCS#12): a client that
 * trusts the certificate signs in and reads its ward over HTTPS and WSS; a client that does not trust it, a plain-HTTP
 * client, a request without a token and a request for another ward's bed are all refused.
 */
class DashboardTlsTest {
    private static final String PASSWORD = "changeit-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    private Vertx vertx;
    private DashboardServer server;
    private DashboardConfig.DemoLogin login;
    private HttpClient trusting;

    @BeforeEach
    void start() throws Exception {
        Path ks = dir.resolve("dashboard.p12");
        Path cert = dir.resolve("dashboard.crt");
        SelfSigned.keyPair(ks, cert, "dashboard", PASSWORD);
        login = DashboardConfig.demo(dir.resolve("users"), "127.0.0.1:9", 0);
        DashboardConfig plain = login.config();
        DashboardConfig tls = new DashboardConfig(plain.bootstrapServers(), "127.0.0.1", 0, plain.usersFile(), ks, PASSWORD,
                plain.tokenTtl(), plain.staleAfter(), plain.loginsPerMinute(), plain.requestsPerSecond(),
                plain.maxSocketsPerUser());
        vertx = Vertx.vertx();
        server = DashboardServer.start(vertx, tls, new Beds(), new NoSink(), Instant::now)
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        trusting = HttpClient.newBuilder().sslContext(trusting(cert)).connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void signInAndWardViewOverHttpsAndWss() throws Exception {
        String token = signIn(trusting);
        HttpResponse<String> beds = get(trusting, "/api/beds", token);
        assertThat(beds.statusCode()).isEqualTo(200);
        assertThat(beds.body()).contains("bed-a1").doesNotContain("bed-b1");
        assertThat(get(trusting, "/api/beds/bed-b1/night", token).statusCode()).as("another ward's bed").isEqualTo(404);
        assertThat(get(trusting, "/api/beds", null).statusCode()).as("no token").isEqualTo(401);

        CompletableFuture<CharSequence> first = new CompletableFuture<>();
        WebSocket ws = trusting.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(uri("wss", "/ws?ward=" + login.ward()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        first.complete(data);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        assertThat(first.get(30, TimeUnit.SECONDS).toString()).as("first websocket message over WSS").contains("bed-a1");
        ws.abort();
        assertThatThrownBy(() -> trusting.newWebSocketBuilder().buildAsync(uri("wss", "/ws?ward=" + login.ward()),
                new WebSocket.Listener() { }).get(30, TimeUnit.SECONDS)).as("websocket without a token")
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void untrustedOrPlainClientsGetNothing() {
        HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        assertThatThrownBy(() -> signIn(defaultTrust)).as("self-signed certificate not trusted by default")
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("http", "/api/beds"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("plain HTTP on the TLS port").isInstanceOf(IOException.class);
    }

    private String signIn(HttpClient c) throws Exception {
        String body = "{\"user\":\"" + login.user() + "\",\"password\":\"" + login.password() + "\"}";
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(uri("https", "/api/login")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("sign-in over HTTPS: %s", r.body()).isEqualTo(200);
        String t = org.hypnostream.common.event.JsonCodec.mapper().readTree(r.body()).get("token").asText();
        assertThat(t).isNotBlank();
        return t;
    }

    private HttpResponse<String> get(HttpClient c, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("https", path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("dashboard", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Two beds in two wards, delivered once at start. */
    private static final class Beds implements EventSource {
        @Override
        public void start(Consumer<List<DashboardEvent>> batches) {
            Instant start = Instant.parse("2026-01-01T22:00:00Z");
            batches.accept(List.of(new DashboardEvent.OfBedInfo(new BedInfo("bed-a1", "ward-a", "Bed A1", start, List.of(), "WASM2016")),
                    new DashboardEvent.OfBedInfo(new BedInfo("bed-b1", "ward-b", "Bed B1", start, List.of(), "WASM2016"))));
        }

        @Override
        public void close() {
        }
    }

    private static final class NoSink implements AlertActionSink {
        @Override
        public CompletionStage<Void> publish(AlertAction action) {
            return CompletableFuture.failedFuture(new IllegalStateException("no alert actions in this test"));
        }

        @Override
        public void close() {
        }
    }
}
