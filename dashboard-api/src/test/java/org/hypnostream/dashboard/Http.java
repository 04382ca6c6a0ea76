package org.hypnostream.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking test HTTP client (the JDK's, independent of the Vert.x server under test; call it from the test thread).
 * The Vert.x client used before sometimes handed a test an empty body (seen as "HTTP 200 with a body that is not
 * JSON: ''" under load); the JDK's client reads what the server sent, so an empty body now means the server sent one.
 */
public final class Http {
    public record Resp(int status, String body) {
        /** The body as JSON; a body that is not says which status came with it (a failing test names the cause). */
        public JsonObject json() {
            try {
                return new JsonObject(body);
            } catch (io.vertx.core.json.DecodeException e) {
                throw new AssertionError("HTTP " + status + " with a body that is not JSON: '" + body + "'", e);
            }
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final int port;

    public Http(Vertx vertx, int port) {
        this.port = port;
    }

    public Resp call(HttpMethod method, String uri, String token, String body) {
        boolean hasBody = body != null && method != HttpMethod.GET;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).timeout(TIMEOUT)
                .method(method.name(), hasBody ? BodyPublishers.ofString(body, StandardCharsets.UTF_8) : BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (hasBody) {
            b.header("Content-Type", "application/json");
        }
        try {
            var resp = client.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(resp.statusCode(), resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + uri + " interrupted", e);
        }
    }

    public String login(String user, String password) {
        Resp r = call(HttpMethod.POST, "/api/login", null, new JsonObject().put("user", user).put("password", password).encode());
        if (r.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r);
        }
        return r.json().getString("token");
    }
}
