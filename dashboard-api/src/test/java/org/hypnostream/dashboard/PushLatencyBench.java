package org.hypnostream.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (never run by default; nothing asserted): push latency from a stage event produced to Kafka
 * to each websocket client receiving it, p50/p99/max at 100 and 1000 connected clients. Client, dashboard and broker
 * share one JVM and the machine's cores, so figures are an upper bound for the dashboard alone.
 * Run: {@code mvn -B -o -pl dashboard-api test -Dtest=PushLatencyBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
class PushLatencyBench {
    @TempDir
    Path dir;

    @Test
    void pushLatency() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            kafka.createTopics(1);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p, Topics.STAGE_EVENTS.keySerde().serializer(),
                    (t, v) -> Topics.json("x", Object.class, false).valueSerde().serializer().serialize(t, v))) {
                producer.send(new ProducerRecord<>(Topics.BEDS.name(), "bed-1", TestEvents.bed("bed-1", "ward-a"))).get();
                Vertx vertx = Vertx.vertx();
                DashboardConfig cfg = new DashboardConfig(kafka.bootstrapServers(), "127.0.0.1", 0, TestUsers.write(dir), null, null,
                        Duration.ofHours(1), Duration.ofSeconds(60), 100, 100_000, 5000);
                DashboardServer server = DashboardServer.start(vertx, cfg).await();
                String token = new Http(vertx, server.port()).login("nurse", TestUsers.PASSWORD);
                long epoch = 0;
                StringBuilder report = new StringBuilder();
                for (int clients : new int[] {100, 1000}) {
                    int events = clients >= 1000 ? 100 : 200;
                    long[] sentAt = new long[(int) epoch + events + 1];
                    long[] lat = new long[clients * events];
                    AtomicInteger n = new AtomicInteger();
                    CountDownLatch all = new CountDownLatch(clients * events);
                    long first = epoch;
                    ConcurrentHashMap<Integer, Boolean> open = new ConcurrentHashMap<>();
                    WebSocketClient wsc = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
                    List<Future<?>> connects = new ArrayList<>();
                    List<ClientWebSocket> sockets = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        ClientWebSocket ws = wsc.webSocket();
                        ws.textMessageHandler(m -> {
                            long now = System.nanoTime();
                            int k = m.indexOf("\"kind\":\"stage\"");
                            if (k < 0) {
                                return;
                            }
                            int i = m.indexOf("\"i\":", k) + 4;
                            int j = i;
                            while (Character.isDigit(m.charAt(j))) {
                                j++;
                            }
                            long e = Long.parseLong(m.substring(i, j));
                            if (e >= first && e < first + events) {
                                lat[n.getAndIncrement()] = now - sentAt[(int) e];
                                all.countDown();
                            }
                        });
                        sockets.add(ws);
                        connects.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
                                .setURI("/ws?ward=ward-a").addHeader("Authorization", "Bearer " + token)));
                    }
                    Future.all(connects).await();
                    open.put(clients, true);
                    for (int e = 0; e < events; e++) {
                        sentAt[(int) epoch] = System.nanoTime();
                        producer.send(new ProducerRecord<>(Topics.STAGE_EVENTS.name(), "bed-1", (Object) TestEvents.stage("bed-1", epoch)));
                        epoch++;
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // pacing: 20 events/s
                    }
                    boolean complete = all.await(120, TimeUnit.SECONDS);
                    long[] got = Arrays.copyOf(lat, n.get());
                    Arrays.sort(got);
                    report.append(String.format("clients=%d events=%d deliveries=%d/%d complete=%s p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                            clients, events, got.length, clients * events, complete, got[got.length / 2] / 1e6,
                            got[(int) (got.length * 0.99)] / 1e6, got[got.length - 1] / 1e6));
                    for (ClientWebSocket ws : sockets) {
                        ws.close();
                    }
                    wsc.close().await();
                }
                server.close().await();
                vertx.close().await();
                Files.writeString(Path.of("target", "push-latency.txt"), report.toString(), StandardCharsets.UTF_8);
                System.out.print("PUSH LATENCY (event produced -> websocket received)\n" + report);
            }
        }
    }
}
