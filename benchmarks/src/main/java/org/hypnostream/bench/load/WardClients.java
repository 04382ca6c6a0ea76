package org.hypnostream.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.hypnostream.common.time.Micros;

/**
 * Websocket clients of the dashboard, signed in over REST and subscribed to one ward, recording when each stage
 * update arrives (wall clock, UTC microseconds). They run on their own Vert.x instance (one event loop).
 */
public final class WardClients implements AutoCloseable {

    /** One stage update received by one client. */
    public record Receipt(int client, String bed, long epoch, long receivedMicros) {
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicLong stageReceipts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong closedByServer = new AtomicLong();
    private final List<ClientWebSocket> sockets = new ArrayList<>();
    private WebSocketClient client;
    private volatile boolean closing;

    private WardClients() {
    }

    /** Signs in as {@code user} and opens {@code count} websockets on {@code /ws?ward=ward}. */
    public static WardClients connect(int port, String user, String password, String ward, int count)
            throws IOException, InterruptedException {
        WardClients w = new WardClients();
        try {
            String token = login(port, user, password);
            w.open(port, token, ward, count);
            return w;
        } catch (IOException | InterruptedException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    static String login(int port, String user, String password) throws IOException, InterruptedException {
        String body = new JsonObject().put("user", user).put("password", password).encode();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("dashboard sign-in as " + user + " on port " + port + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("token");
    }

    private void open(int port, String token, String ward, int count) {
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 2)
                .setMaxMessageSize(256 << 20).setMaxFrameSize(16 << 20));
        List<Future<?>> connects = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int id = c;
            ClientWebSocket ws = client.webSocket();
            ws.textMessageHandler(m -> onMessage(id, m));
            ws.closeHandler(v -> {
                if (!closing) {
                    closedByServer.incrementAndGet();
                }
            });
            sockets.add(ws);
            connects.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                    .setURI("/ws?ward=" + ward).addHeader("Authorization", "Bearer " + token)));
        }
        Future.all(connects).await();
    }

    private void onMessage(int id, String m) {
        long now = Micros.of(java.time.Instant.now());
        if (!m.startsWith("{\"type\":\"update\"")) {
            return;
        }
        updates.incrementAndGet();
        if (!m.contains("\"kind\":\"stage\"")) {
            return;
        }
        JsonObject o = new JsonObject(m);
        receipts.add(new Receipt(id, o.getString("bed"), o.getJsonObject("data").getLong("i"), now));
        stageReceipts.incrementAndGet();
    }

    /** The stage updates received and not yet {@linkplain #forgetReceipts() forgotten}. */
    public List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Stage updates received by all clients, forgotten ones included. */
    public long stageReceipts() {
        return stageReceipts.get();
    }

    /**
     * Drops the receipts kept so far (the counts stay): they are the benchmark's own records, one per stage update per
     * client, so a heap figure taken after this is the monitor's.
     */
    public void forgetReceipts() {
        receipts.clear();
    }

    /** All update messages (stage, leg, PLM, alert, ...) received by all clients. */
    public long updates() {
        return updates.get();
    }

    /** Sockets the server closed (e.g. 1013: too slow to drain). */
    public long closedByServer() {
        return closedByServer.get();
    }

    public int count() {
        return sockets.size();
    }

    @Override
    public void close() {
        closing = true;
        for (ClientWebSocket ws : sockets) {
            try {
                ws.close().await();
            } catch (RuntimeException e) {
                // already closed
            }
        }
        vertx.close().await();
    }
}
