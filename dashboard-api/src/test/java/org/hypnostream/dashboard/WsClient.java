package org.hypnostream.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Vert.x websocket client collecting JSON messages; {@link #next()} waits with a deadline, never sleeps. */
public final class WsClient {
    private final LinkedBlockingQueue<JsonObject> messages;
    /**
     * Held for the socket's life: Vert.x closes a client, with its connections, once the client object is garbage,
     * which dropped sockets mid-handshake ("Connection closed") when a GC came at the wrong moment.
     */
    private final WebSocketClient client;
    private final WebSocket ws;

    private WsClient(WebSocketClient client, WebSocket ws, LinkedBlockingQueue<JsonObject> messages) {
        this.client = client;
        this.ws = ws;
        this.messages = messages;
    }

    public static WsClient connect(Vertx vertx, int port, String query, String token) {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws?" + query);
        if (token != null) {
            o.addHeader("Authorization", "Bearer " + token);
        }
        return open(vertx, o);
    }

    private static WsClient open(Vertx vertx, WebSocketConnectOptions o) {
        LinkedBlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
        WebSocketClient client = vertx.createWebSocketClient();
        ClientWebSocket ws = client.webSocket();
        ws.textMessageHandler(t -> q.add(new JsonObject(t))); // before connecting: the snapshot comes at once
        try {
            ws.connect(o).await();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new WsClient(client, ws, q);
    }

    /** The HTTP status of a refused handshake, or 101 when it was accepted. */
    public static int handshakeStatus(Vertx vertx, int port, String query, String token) {
        try {
            WsClient c = connect(vertx, port, query, token);
            c.close();
            return 101;
        } catch (UpgradeRejectedException e) {
            return e.getStatus();
        }
    }

    public JsonObject next() throws InterruptedException {
        JsonObject m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no websocket message within 10 s");
        }
        return m;
    }

    public JsonObject poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    public void close() {
        ws.close().await();
        client.close().await();
    }
}
