package org.hypnostream.dashboard.night;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.EpochStage;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.dashboard.TestEvents;
import org.junit.jupiter.api.Test;

/**
 * The night's columns (ADR 0027) keep exactly what a map of records kept: random puts (out of order, replacing,
 * re-delivered, odd values: negative and huge epoch indices, nanos, null producedAt, provenance and ids, NaN and signed-zero
 * probabilities) against a {@code TreeMap} / {@code LinkedHashMap} of the records themselves.
 */
class NightColumnsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T22:00:00.123456789Z");
    private static final List<Provenance> PROVENANCES = List.of(Provenance.model("m1", "ab".repeat(32), "CPU"),
            Provenance.model("m2", null, "CUDA"), Provenance.rules("WASM2016"));
    private static final List<Set<QualityFlag>> QUALITY = List.of(Set.of(), Set.of(QualityFlag.GAP),
            Set.of(QualityFlag.FLAT, QualityFlag.NAN));

    /** The event as the feed gets it: through the topic's serde, with its own copies of every string. */
    private static <V> V read(Topic<String, V> topic, V v) {
        byte[] wire = topic.valueSerde().serializer().serialize(topic.name(), v);
        return topic.valueSerde().deserializer().deserialize(topic.name(), wire);
    }

    @Test
    void stageColumnsKeepWhatATreeMapOfEventsKept() {
        Random r = new Random(11);
        StageColumns columns = new StageColumns("bed-1", new SharedValues());
        TreeMap<Long, StageEvent> model = new TreeMap<>();
        long[] indices = {-3, 0, 1, 2, 5, 9, 10, 11, 40, 41, 1L << 40};
        for (int n = 0; n < 3_000; n++) {
            long i = n < 300 ? n : r.nextInt(4) == 0 ? indices[r.nextInt(indices.length)] : r.nextInt(400);
            StageEvent e = stage(i, r);
            columns.put(e);
            model.put(i, e);
            assertThat(columns.get(i)).isEqualTo(e);
        }
        assertThat(columns.events()).containsExactlyElementsOf(model.values());
        assertThat(columns.size()).isEqualTo(model.size());
        assertThat(columns.get(-4)).isNull();
        assertThat(columns.get(7_000)).isNull();
        List<EpochStage> expected = new ArrayList<>();
        model.values().forEach(s -> expected.add(EpochStage.of(s)));
        assertThat(columns.epochStages()).containsExactlyElementsOf(expected);
    }

    @Test
    void legColumnsKeepWhatALinkedHashMapOfEventsKept() {
        Random r = new Random(12);
        LegColumns columns = new LegColumns("bed-1", new SharedValues());
        Map<String, LegMovementEvent> model = new LinkedHashMap<>();
        for (int n = 0; n < 3_000; n++) {
            LegMovementEvent l = leg(r.nextInt(700), r);
            columns.put(BedNight.legKey(l), l);
            model.put(BedNight.legKey(l), l);
            assertThat(columns.get(BedNight.legKey(l))).isEqualTo(l);
        }
        assertThat(columns.events()).containsExactlyElementsOf(model.values());
        assertThat(columns.get("no such movement")).isNull();
    }

    @Test
    void scoredLmsKeepOnsetAndSeriesByOnsetAndSideInFirstCameOrder() {
        Random r = new Random(13);
        ScoredLms lms = new ScoredLms(new SharedValues());
        record Key(Instant onset, String side) {
        }
        Map<Key, String> model = new LinkedHashMap<>();
        String[] sides = {"LEFT", "RIGHT", "BILATERAL", null};
        for (int n = 0; n < 3_000; n++) {
            Instant onset = T0.plusMillis(250L * r.nextInt(500));
            String side = sides[r.nextInt(sides.length)];
            String series = r.nextInt(3) == 0 ? null : new String("s-" + r.nextInt(20));
            lms.put(onset, side, series);
            model.put(new Key(onset, side), series);
        }
        List<Object> got = new ArrayList<>();
        lms.forEach((onset, series) -> got.add(onset + "|" + series));
        List<Object> want = new ArrayList<>();
        model.forEach((k, series) -> want.add(k.onset() + "|" + series));
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(lms.size()).isEqualTo(model.size());
    }

    @Test
    void keptEventsEqualWhatWasReadAndShareTheirRepeatedValues() {
        WardState state = new WardState(new ManualClock(TestEvents.START));
        List<StageEvent> read = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            read.add(read(Topics.STAGE_EVENTS, TestEvents.stage("bed-1", i)));
            assertThat(state.apply(read.get((int) i))).isPresent();
            assertThat(state.apply(read(Topics.LEG_EVENTS, TestEvents.leg("bed-1", LegSide.LEFT, 30 * i)))).isPresent();
        }
        BedNight n = state.bed("bed-1").orElseThrow();
        assertThat(n.stages()).containsExactlyElementsOf(read);
        StageEvent first = n.stages().iterator().next();
        assertThat(read.get(1).provenance()).as("each read event has its own copy").isNotSameAs(read.get(0).provenance());
        for (StageEvent kept : n.stages()) {
            assertThat(kept.provenance()).isSameAs(first.provenance());
            assertThat(kept.bedId()).isSameAs(n.bedId());
        }
        assertThat(n.stages().stream().filter(e -> e.stage() == Stage.UNSCORED).map(StageEvent::unscoredReason).distinct()
                .map(System::identityHashCode).distinct()).as("one shared reason string").hasSize(1);
        LegMovementEvent leg = n.legMovements().iterator().next();
        assertThat(n.legMovements()).hasSize(40).allSatisfy(l -> {
            assertThat(l.provenance()).isSameAs(leg.provenance());
            assertThat(l.bedId()).isSameAs(n.bedId());
        });
        // a re-delivery (a fresh copy of an event already kept) still changes nothing
        assertThat(state.apply(read(Topics.STAGE_EVENTS, TestEvents.stage("bed-1", 7)))).isEmpty();
        assertThat(state.apply(read(Topics.LEG_EVENTS, TestEvents.leg("bed-1", LegSide.LEFT, 30 * 7)))).isEmpty();
        assertThat(n.toJson().getJsonArray("stages")).hasSize(40);
        assertThat(n.epochCount()).as("the ward list's epoch count, without building the stages").isEqualTo(40);
    }

    private static StageEvent stage(long i, Random r) {
        Instant s = T0.plusSeconds(30 * i).plusNanos(r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : 0);
        boolean unscored = r.nextInt(5) == 0;
        List<Double> p = new ArrayList<>();
        if (!unscored) {
            for (int k = 0; k < 5; k++) {
                int kind = r.nextInt(20);
                p.add(kind == 0 ? Double.NaN : kind == 1 ? -0.0 : kind == 2 ? Double.MIN_VALUE : r.nextDouble());
            }
        }
        Instant end = s.plusSeconds(30);
        Instant produced = r.nextInt(10) == 0 ? null : s.plusSeconds(31).plusNanos(r.nextInt(1_000_000_000));
        return read(Topics.STAGE_EVENTS, new StageEvent("bed-1", i, s, end,
                unscored ? Stage.UNSCORED : Stage.SCORED.get(r.nextInt(5)), p, r.nextBoolean(),
                unscored || r.nextInt(4) == 0 ? "reason " + r.nextInt(7) : null, QUALITY.get(r.nextInt(QUALITY.size())),
                PROVENANCES.get(r.nextInt(PROVENANCES.size())), produced, r.nextLong(), r.nextLong()));
    }

    private static LegMovementEvent leg(int k, Random r) {
        Instant on = T0.plusMillis(1_000L * k).plusNanos(r.nextInt(1_000_000));
        LegSide side = LegSide.values()[k % 3];
        // ids: none, another shape, the pipeline's bed:SIDE:onsetSample (kept as a number), and near misses of it
        String[] ids = {null, "bed-1-" + side + "-" + k, "bed-1:" + side + ":" + k * 200L, "bed-1:" + side + ":" + k * 200L,
            "bed-1:" + LegSide.values()[(k + 1) % 3] + ":" + k, "bed-1:" + side + ":0" + k, "bed-1:" + side + ":", "bed-2:" + side + ":" + k,
            "bed-1:" + side + ":" + k + "x", "bed-1:" + side + ":" + Long.MAX_VALUE, "bed-1:" + side + ":0"};
        String id = k % 10 == 0 ? null : ids[r.nextInt(ids.length)];
        return read(Topics.LEG_EVENTS, new LegMovementEvent("bed-1", id, side, on,
                on.plusMillis(500 + r.nextInt(9_000)), r.nextDouble() * 10, r.nextInt(30) == 0 ? Double.NaN : r.nextDouble() * 200,
                QUALITY.get(r.nextInt(QUALITY.size())), r.nextInt(20) == 0 ? null : PROVENANCES.get(r.nextInt(PROVENANCES.size())),
                r.nextInt(10) == 0 ? null : on.plusSeconds(12), r.nextLong()));
    }
}
