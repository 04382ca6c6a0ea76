package org.hypnostream.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.event.JsonCodec;

/**
 * A ward nurse's websocket client of a running dashboard, as the page is one: signs in ({@code POST /api/login}),
 * asks a one-time ticket ({@code POST /api/ws-ticket}) and opens {@code /ws?ward=W&ticket=T}; on a closed socket it
 * reconnects with a fresh ticket (same token) on its own thread, as the page does. It keeps per bed the epoch indexes
 * it holds (snapshots and stage updates) and, per bed, the wall-clock arrival of every pushed stage update that
 * brought an epoch it did not hold, from which it computes the longest pause between two stage events of one bed as
 * this client saw them (the {@code StageEventWatch} figure, one hop further: through the dashboard's feed and its
 * websocket). Epochs a snapshot brings (the first one, a bed's registration, a reconnect) count as held, not as arrivals.
 */
final class WardSocketWatch implements AutoCloseable {
    private static final Object CLOSED = new Object();
    private final Vertx vertx;
    private final int port;
    private final String user;
    private final String password;
    private final String ward;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LinkedBlockingQueue<Object> closes = new LinkedBlockingQueue<>();
    private final Thread reconnector;
    private final Map<String, TreeSet<Long>> epochs = new TreeMap<>();
    private final Map<String, Long> lastNanos = new HashMap<>();
    private final Map<String, Long> longestPauseNanos = new TreeMap<>();
    private String token;
    private WebSocketClient client;
    private ClientWebSocket ws;
    private long stageUpdates;
    private long duplicates;
    private long reconnects;
    private volatile boolean closing;
    private volatile Throwable failure;

    private WardSocketWatch(Vertx vertx, int port, String user, String password, String ward) {
        this.vertx = vertx;
        this.port = port;
        this.user = user;
        this.password = password;
        this.ward = ward;
        this.reconnector = new Thread(this::reconnectLoop, "ward-socket-reconnect");
        reconnector.setDaemon(true);
    }

    /** Signs in as {@code user} and follows {@code ward}; the dashboard must be listening on {@code port}. */
    static WardSocketWatch start(Vertx vertx, int port, String user, String password, String ward) throws Exception {
        WardSocketWatch w = new WardSocketWatch(vertx, port, user, password, ward);
        w.token = w.signIn();
        w.open();
        w.reconnector.start();
        return w;
    }

    private void open() throws Exception {
        String ticket = ticket();
        WebSocketClient c = vertx.createWebSocketClient();
        ClientWebSocket s = c.webSocket();
        s.textMessageHandler(t -> onMessage(new JsonObject(t), System.nanoTime()));
        s.closeHandler(v -> closes.add(CLOSED));
        s.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws?ward=" + ward + "&ticket=" + ticket)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        WebSocketClient previous;
        synchronized (this) {
            previous = client;
            client = c; // held while its socket is open: Vert.x closes an unreachable client and its connections
            ws = s;
        }
        if (previous != null) {
            previous.close();
        }
    }

    private void reconnectLoop() {
        try {
            while (true) {
                closes.take();
                if (closing) {
                    return;
                }
                synchronized (this) {
                    reconnects++;
                }
                open();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
            if (!closing) {
                failure = e;
            }
        }
    }

    private synchronized void onMessage(JsonObject m, long now) {
        switch (m.getString("type")) {
            case "snapshot" -> {
                for (Object o : m.getJsonArray("beds")) {
                    JsonObject b = (JsonObject) o;
                    TreeSet<Long> held = epochs.computeIfAbsent(b.getString("bed"), x -> new TreeSet<>());
                    for (Object s : b.getJsonArray("stages")) {
                        held.add(((JsonObject) s).getLong("i"));
                    }
                }
            }
            case "update" -> {
                if ("stage".equals(m.getString("kind"))) {
                    stageUpdates++;
                    String bed = m.getString("bed");
                    if (!epochs.computeIfAbsent(bed, x -> new TreeSet<>()).add(m.getJsonObject("data").getLong("i"))) {
                        duplicates++;
                        return;
                    }
                    Long last = lastNanos.put(bed, now);
                    if (last != null && now - last > longestPauseNanos.getOrDefault(bed, 0L)) {
                        longestPauseNanos.put(bed, now - last);
                    }
                }
            }
            default -> { } // pong and the like: not stage events
        }
    }

    private String signIn() throws Exception {
        String body = JsonCodec.mapper().writeValueAsString(Map.of("user", user, "password", password));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/login"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("sign-in answered " + r.statusCode() + ": " + r.body());
        }
        return JsonCodec.mapper().readTree(r.body()).get("token").asText();
    }

    private String ticket() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ws-ticket"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("ws-ticket answered " + r.statusCode() + ": " + r.body());
        }
        return JsonCodec.mapper().readTree(r.body()).get("ticket").asText();
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("the ward websocket client failed to reconnect", failure);
        }
    }

    /** Per bed, the epoch indexes of {@code expected} this client does not hold (beds without any missing left out). */
    synchronized Map<String, List<Long>> missing(Map<String, ? extends Map<Long, ?>> expected) {
        check();
        Map<String, List<Long>> out = new TreeMap<>();
        expected.forEach((bed, idx) -> {
            Set<Long> held = epochs.getOrDefault(bed, new TreeSet<>());
            List<Long> gone = new ArrayList<>();
            for (Long i : idx.keySet()) {
                if (!held.contains(i)) {
                    gone.add(i);
                }
            }
            if (!gone.isEmpty()) {
                out.put(bed, gone);
            }
        });
        return out;
    }

    /** The epoch indexes held, summed over beds. */
    synchronized long held() {
        return epochs.values().stream().mapToLong(TreeSet::size).sum();
    }

    synchronized long stageUpdates() {
        return stageUpdates;
    }

    /** Stage updates for an epoch already held (the dashboard applies events idempotently: expected 0). */
    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long reconnects() {
        return reconnects;
    }

    /** The longest pause between two pushed stage events of one bed, over all beds. */
    synchronized Duration longestPause() {
        return Duration.ofNanos(longestPauseNanos.values().stream().mapToLong(Long::longValue).max().orElse(0));
    }

    /** Each bed's longest pause, in milliseconds, for the report line. */
    synchronized Map<String, Long> longestPausesMillis() {
        Map<String, Long> out = new TreeMap<>();
        longestPauseNanos.forEach((bed, n) -> out.put(bed, n / 1_000_000));
        return out;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        closes.add(CLOSED);
        reconnector.join(10_000);
        ClientWebSocket s;
        WebSocketClient c;
        synchronized (this) {
            s = ws;
            c = client;
        }
        if (s != null && !s.isClosed()) {
            s.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (c != null) {
            c.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
