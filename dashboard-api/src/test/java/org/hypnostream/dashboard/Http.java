package org.hypnostream.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** A blocking test HTTP client on Vert.x's HttpClient (call from the test thread, never from an event loop). */
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

    private final HttpClient client;
    private final int port;

    public Http(Vertx vertx, int port) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)); // one request per connection
        this.port = port;
    }

    public Resp call(HttpMethod method, String uri, String token, String body) {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
        if (token != null) {
            o.putHeader("Authorization", "Bearer " + token);
        }
        boolean hasBody = body != null && method != HttpMethod.GET;
        return client.request(o)
                .compose(req -> !hasBody ? req.send() : req.putHeader("Content-Type", "application/json").send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), b.toString())))
                .await();
    }

    public String login(String user, String password) {
        Resp r = call(HttpMethod.POST, "/api/login", null, new JsonObject().put("user", user).put("password", password).encode());
        if (r.status() != 200) {
            throw new AssertionError("login of " + user + " failed: " + r);
        }
        return r.json().getString("token");
    }
}
