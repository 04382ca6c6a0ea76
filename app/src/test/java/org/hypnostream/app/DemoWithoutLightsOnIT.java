package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo whose settings say {@code lightsOnAtEnd = false} (what {@code bench max-beds} probes run): {@code awaitQuiet} waits
 * for the live pipeline only, marks no lights-on and so starts no morning re-score. Outside it, {@link DemoIT} shows
 * lights-on marked.
 */
class DemoWithoutLightsOnIT {
    @TempDir
    Path dir;

    @Test
    void awaitQuietMarksNoLightsOnAndNoNightIsRescored() throws Exception {
        // 2 synthetic beds, 5 minutes of device time each, as fast as possible, no dashboard
        Demo.Settings s = new Demo.Settings(2, 0, Duration.ofMinutes(5), List.of(), dir, 2, -1, 5L, SpineEndToEndIT.MODELS)
                .withLightsOnAtEnd(false);
        assertThat(s.lightsOnAtEnd()).isFalse();
        assertThat(s.withLightsOnAtEnd(true)).isEqualTo(new Demo.Settings(2, 0, Duration.ofMinutes(5), List.of(), dir, 2,
                -1, 5L, SpineEndToEndIT.MODELS));
        try (Demo demo = Demo.start(s, InstantSource.system())) {
            assertThat(demo.awaitQuiet(Duration.ofMinutes(3))).isTrue();
            TopicReader topics = TopicReader.at(demo.bootstrapServers());
            Duration settle = Duration.ofSeconds(30);
            List<StageEvent> stages = topics.values(Topics.STAGE_EVENTS,
                    demo.kafka().settledEndOffsets(Topics.STAGE_EVENTS.name(), settle));
            List<StudyEvent> marks = topics.values(Topics.STUDY_EVENTS,
                    demo.kafka().settledEndOffsets(Topics.STUDY_EVENTS.name(), settle));
            for (String bed : demo.bedIds()) {
                assertThat(stages.stream().filter(e -> e.bedId().equals(bed)).count())
                        .as("%s: the live pipeline was drained, one stage event per epoch", bed).isEqualTo(10);
                assertThat(marks.stream().filter(e -> e.bedId().equals(bed)).map(StudyEvent::type))
                        .as("%s's study marks", bed).contains(StudyEventType.ADMITTED)
                        .doesNotContain(StudyEventType.LIGHTS_ON);
            }
            assertThat(topics.values(Topics.REVISED_STAGES,
                    demo.kafka().settledEndOffsets(Topics.REVISED_STAGES.name(), settle))).as("morning re-scores").isEmpty();
        }
    }
}
