package org.hypnostream.dashboard.night;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.dashboard.TestEvents;
import org.junit.jupiter.api.Test;

/** A night keeps events equal to those read, sharing the bed id and provenance every event of the bed repeats. */
class NightValuesTest {
    final WardState state = new WardState(new ManualClock(TestEvents.START));

    /** The event as the feed gets it: through the topic's serde, with its own copies of every string. */
    private static <V> V read(Topic<String, V> topic, V v) {
        byte[] wire = topic.valueSerde().serializer().serialize(topic.name(), v);
        return topic.valueSerde().deserializer().deserialize(topic.name(), wire);
    }

    @Test
    void keptEventsEqualWhatWasReadAndShareTheirRepeatedValues() {
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
    }

    @Test
    void sharesAtMostABoundedNumberOfDistinctValues() {
        NightValues values = new NightValues("bed-1");
        List<StageEvent> kept = new ArrayList<>();
        for (int i = 0; i < NightValues.MAX_SHARED + 20; i++) {
            StageEvent e = TestEvents.stage("bed-1", 12); // UNSCORED: a reason of its own each time
            StageEvent odd = new StageEvent(e.bedId(), e.epochIndex(), e.epochStart(), e.epochEnd(), Stage.UNSCORED, List.of(),
                    false, "reason " + i, Set.of(), e.provenance(), e.producedAt(), e.latencyMillis(), e.sourceReceiveMicros());
            kept.add(values.stage(odd));
            assertThat(kept.get(i)).isEqualTo(odd);
        }
        // the same reasons again: the provenance took one of the MAX_SHARED places, so the first MAX_SHARED - 1 reasons
        // come back as the instances kept, the others as given
        for (int i = 0; i < NightValues.MAX_SHARED + 20; i++) {
            String again = new String("reason " + i);
            StageEvent e = kept.get(i);
            StageEvent copy = new StageEvent(e.bedId(), e.epochIndex(), e.epochStart(), e.epochEnd(), Stage.UNSCORED, List.of(),
                    false, again, Set.of(), e.provenance(), e.producedAt(), e.latencyMillis(), e.sourceReceiveMicros());
            boolean shared = values.stage(copy).unscoredReason() == kept.get(i).unscoredReason();
            assertThat(shared).as("reason %d shared", i).isEqualTo(i < NightValues.MAX_SHARED - 1);
        }
    }
}
