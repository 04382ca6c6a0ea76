package org.hypnostream.inference.leg;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.inference.service.LegLane;
import org.hypnostream.inference.service.Scored;
import org.junit.jupiter.api.Test;

/** The leg lane of the inference service: windows in, each movement out once, bad records dead-lettered. */
class LegLaneTest {
    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    private static List<ConsumerRecord<String, byte[]>> records(List<LegWindow> windows) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            LegWindow w = windows.get(i);
            out.add(new ConsumerRecord<>(Topics.LEG_WINDOWS.name(), 0, i, w.bedId(),
                    Topics.LEG_WINDOWS.valueSerde().serializer().serialize(Topics.LEG_WINDOWS.name(), w)));
        }
        return out;
    }

    private static List<LegMovementEvent> events(List<Scored> scored) {
        List<LegMovementEvent> out = new ArrayList<>();
        for (Scored s : scored) {
            for (ProducerRecord<String, byte[]> r : s.records()) {
                if (r.topic().equals(Topics.LEG_EVENTS.name())) {
                    out.add(Topics.LEG_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                }
            }
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> night() {
        int n = 150 * 200;
        float[] left = LegTestSignals.noise(n, 1.0, 1);
        float[] right = LegTestSignals.noise(n, 1.0, 2);
        LegTestSignals.addBursts(left, List.of(new LegTestSignals.Burst(10.0, 2.0), new LegTestSignals.Burst(35.5, 3.0),
                new LegTestSignals.Burst(70.0, 5.0), new LegTestSignals.Burst(100.0, 9.0)), 40, 3);
        LegTestSignals.addBursts(right, List.of(new LegTestSignals.Burst(11.0, 1.0), new LegTestSignals.Burst(59.0, 2.0)), 40, 4);
        return records(LegTestSignals.windows("bed-7", left, right, Set.of(), Set.of()));
    }

    @Test
    void everyMovementIsEmittedOnceWhateverTheBatching() {
        List<ConsumerRecord<String, byte[]>> all = night();
        LegLane whole = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        List<Scored> scored = whole.score(all, NOW);
        assertThat(scored).hasSize(all.size());
        List<LegMovementEvent> once = events(scored);
        assertThat(once).hasSize(6);
        assertThat(once.stream().map(LegMovementEvent::movementId).distinct()).hasSize(6);
        assertThat(once).allSatisfy(e -> assertThat(e.provenance().ruleSetId()).isEqualTo("WASM2016-rules-v1"));

        LegLane batched = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        List<LegMovementEvent> inBatches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 3) {
            inBatches.addAll(events(batched.score(all.subList(i, Math.min(all.size(), i + 3)), NOW)));
        }
        assertThat(inBatches).isEqualTo(once);
    }

    @Test
    void stateRebuiltFromHistoryContinuesExactlyLikeAnUninterruptedRun() {
        List<ConsumerRecord<String, byte[]>> all = night();
        int cut = all.size() / 2;
        LegLane uninterrupted = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        uninterrupted.score(all.subList(0, cut), NOW);
        List<LegMovementEvent> expected = events(uninterrupted.score(all.subList(cut, all.size()), NOW));

        LegLane restarted = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        restarted.rebuild(all.subList(0, cut));
        List<LegMovementEvent> after = events(restarted.score(all.subList(cut, all.size()), NOW));
        assertThat(after).isNotEmpty().isEqualTo(expected);
    }

    @Test
    void undecodableOrMisKeyedWindowsAreDeadLetteredAndTheRestScored() {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(night().subList(0, 3));
        all.add(1, new ConsumerRecord<>(Topics.LEG_WINDOWS.name(), 0, 99, "bed-7", new byte[] {1, 2, 3}));
        ConsumerRecord<String, byte[]> good = all.get(3);
        all.add(new ConsumerRecord<>(Topics.LEG_WINDOWS.name(), 0, 100, "bed-8", good.value()));
        LegLane lane = new LegLane(new LegMovementDetector(LegRules.wasm2016()), new SimpleMeterRegistry());
        List<Scored> scored = lane.score(all, NOW);
        assertThat(scored).hasSize(all.size());
        List<DeadLetter> dead = new ArrayList<>();
        scored.forEach(s -> s.records().stream().filter(r -> r.topic().equals(Topics.DEAD_LETTER.name()))
                .forEach(r -> dead.add(Topics.DEAD_LETTER.valueSerde().deserializer().deserialize(r.topic(), r.value()))));
        assertThat(dead).extracting(DeadLetter::offset).containsExactly(99L, 100L);
        assertThat(dead.get(0).reason()).contains("unusable leg window");
        assertThat(dead.get(1).reason()).contains("does not match leg window bed bed-7");
    }
}
