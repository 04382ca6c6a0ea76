package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code bench} command as {@code bin/hypnostream bench} runs it, without starting a broker. */
class BenchCommandTest {
    @Test
    void listsEveryBenchUnderTheLauncherName() {
        CommandLine cl = BenchCommand.commandLine();
        assertThat(cl.getSubcommands()).containsOnlyKeys("pipeline", "kafka", "max-beds", "scale-out", "push");
        StringWriter usage = new StringWriter();
        cl.getSubcommands().get("pipeline").usage(new PrintWriter(usage));
        assertThat(usage.toString()).startsWith("Usage: hypnostream bench pipeline ");
    }

    @Test
    void badOptionsAreAUsageErrorBeforeAnythingStarts() {
        CommandLine cl = BenchCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("pipeline", "--beds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("bench pipeline: --beds must be 1-10000");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("push", "--clients", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("bench push: --clients must be 1-5000");
    }

    @Test
    void pushEventsAreValidStageEventsThatSurviveTheTopicSerde() {
        for (long i = 0; i < 30; i++) {
            StageEvent e = BenchPushCommand.stage(i);
            byte[] wire = Topics.STAGE_EVENTS.valueSerde().serializer().serialize(Topics.STAGE_EVENTS.name(), e);
            StageEvent back = Topics.STAGE_EVENTS.valueSerde().deserializer().deserialize(Topics.STAGE_EVENTS.name(), wire);
            assertThat(back.epochIndex()).isEqualTo(i);
            assertThat(back.stage()).isEqualTo(e.stage());
            assertThat(back.probabilities()).hasSize(5).contains(0.8);
        }
    }
}
