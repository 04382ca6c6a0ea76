package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.export.NightExporter;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard against a real in-process KRaft broker: events produced with common's serdes, transactions, restart. */
@ExtendWith(VertxExtension.class)
class DashboardKafkaIT {
    @TempDir
    Path dir;
    EmbeddedKafka kafka;
    TransactionalInput input;
    DashboardServer server;

    @BeforeEach
    void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(2);
        input = TransactionalInput.open(kafka.bootstrapServers(), "dashboard-it-producer");
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close().await();
        }
        if (input != null) {
            input.close();
        }
        kafka.close();
    }

    /** Follows bed-1 over one websocket: snapshot + updates; checks seqs are gap- and duplicate-free. */
    static final class Tracker {
        private final WsClient c;
        private final TreeSet<Long> seen = new TreeSet<>();
        private JsonObject night;
        private int actions;
        private long seq = -1;

        Tracker(WsClient c) {
            this.c = c;
        }

        void until(long epochs, int wantedActions) throws InterruptedException {
            while (seen.size() < epochs || actions < wantedActions) {
                JsonObject m = c.next();
                if (m.getString("type").equals("snapshot")) {
                    m.getJsonArray("beds").stream().map(JsonObject.class::cast).filter(b -> b.getString("bed").equals("bed-1"))
                            .findFirst().ifPresent(n -> {
                                night = n;
                                seq = n.getLong("seq");
                                seen.clear();
                                n.getJsonArray("stages").forEach(s -> seen.add(((JsonObject) s).getLong("i")));
                                actions = n.getJsonArray("actions").size();
                            });
                } else if (m.getString("bed").equals("bed-1")) {
                    assertThat(night).as("an update before the bed's snapshot").isNotNull();
                    assertThat(m.getLong("seq")).as("seq after " + seq).isEqualTo(seq + 1);
                    seq = m.getLong("seq");
                    if (m.getString("kind").equals("stage")) {
                        assertThat(seen.add(m.getJsonObject("data").getLong("i"))).as("epoch delivered twice").isTrue();
                    } else if (m.getString("kind").equals("action")) {
                        actions++;
                    }
                }
            }
            assertThat(seen).containsExactlyElementsOf(LongStream.range(0, epochs).boxed().toList());
        }
    }

    @Test
    void nightsComeFromTheTopicsLiveAndAfterARestartAndExportToEdf(Vertx vertx) throws Exception {
        input.commit(TestEvents.bed("bed-1", "ward-a"), TestEvents.bed("bed-2", "ward-b"));
        List<Object> first = new ArrayList<>();
        for (long i = 0; i < 10; i++) {
            first.add(TestEvents.stage("bed-1", i));
            first.add(TestEvents.stage("bed-2", i));
        }
        first.add(TestEvents.leg("bed-1", LegSide.LEFT, 100));
        first.add(TestEvents.epoch("bed-1", 9, false));
        first.add(TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH"));
        input.commit(first.toArray());
        input.abort(TestEvents.stage("bed-1", 99)); // aborted: must never be shown
        input.commitRaw(Topics.STAGE_EVENTS.name(), "bed-1", "{not json".getBytes(StandardCharsets.UTF_8));

        DashboardConfig cfg = DashboardConfig.of(kafka.bootstrapServers(), TestUsers.write(dir), 0);
        server = DashboardServer.start(vertx, cfg).await();
        Http http = new Http(vertx, server.port());
        String nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient c = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse);
        Tracker t = new Tracker(c);
        t.until(10, 0);
        List<Object> live = new ArrayList<>();
        for (long i = 10; i < 15; i++) {
            live.add(TestEvents.stage("bed-1", i));
        }
        input.commit(live.toArray());
        Http.Resp ack = http.call(HttpMethod.POST, "/api/beds/bed-1/alerts/a1/acknowledge", nurse, "{}");
        assertThat(ack.status()).isEqualTo(202);
        t.until(15, 1);
        c.close();
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-1/night", nurse, null).json().getJsonArray("actions").getJsonObject(0)
                .getString("user")).isEqualTo("nurse");

        server.close().await();
        server = DashboardServer.start(vertx, cfg).await();
        http = new Http(vertx, server.port());
        nurse = http.login("nurse", TestUsers.PASSWORD);
        WsClient again = WsClient.connect(vertx, server.port(), "ward=ward-a", nurse); // the feed may still be catching up
        new Tracker(again).until(15, 1);
        input.commit(TestEvents.stage("bed-1", 15));
        JsonObject u = again.next();
        assertThat(u.getJsonObject("data").getLong("i")).isEqualTo(15L);
        again.close();
        WsClient bedView = WsClient.connect(vertx, server.port(), "bed=bed-1", nurse);
        assertThat(bedView.next().getString("type")).isEqualTo("snapshot");
        JsonObject eeg = bedView.next();
        assertThat(eeg.getString("type")).as("EEG epoch from eeg-epochs.v1 shown in the bed view").isEqualTo("eeg");
        assertThat(eeg.getJsonObject("latest").getLong("i")).isEqualTo(9L);
        bedView.close();
        server.close().await();
        server = null;

        Path edf = dir.resolve("bed-1.edf");
        int annotations = NightExporter.export(kafka.bootstrapServers(), "bed-1", edf, Duration.ofSeconds(60));
        assertThat(annotations).isEqualTo(16 + 1 + 1);

        List<DeadLetter> got = TopicReader.at(kafka.bootstrapServers()).awaitValues(Topics.DEAD_LETTER, l -> !l.isEmpty(),
                Duration.ofSeconds(30));
        assertThat(got.get(0).sourceTopic()).isEqualTo(Topics.STAGE_EVENTS.name());
        assertThat(got.get(0).reason()).contains("StageEvent");
    }
}
