package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.app.Stagger;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.topic.Topics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code bench} command as {@code bin/hypnostream bench} runs it, without starting a broker. */
class BenchCommandTest {
    @Test
    void listsEveryBenchUnderTheLauncherName() {
        CommandLine cl = BenchCommand.commandLine();
        assertThat(cl.getSubcommands()).containsOnlyKeys("pipeline", "kafka", "max-beds", "scale-out", "push", "night-heap",
                "fetch-wait");
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
        err.getBuffer().setLength(0);
        assertThat(cl.execute("night-heap", "--hours", "9")).isEqualTo(2);
        assertThat(err.toString()).contains("bench night-heap: --beds must be 1-2000 and --hours 0.5-8, got 100 and 9.0");
        err.getBuffer().setLength(0);
        assertThat(cl.execute("fetch-wait", "--waits", "50,-1")).isEqualTo(2);
        assertThat(err.toString()).contains("bench fetch-wait: --transactions must be 1-100000, --max-gap-ms 0-60000, "
                + "--waits 0-60000 each; got 200, 600, [50, -1]");
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

    /** One probe the fake ran: its beds, and whether its run ends with lights-on. */
    private record Probed(int beds, boolean lightsOn) {
    }

    /** A max-beds search whose probes pass up to {@code limit} beds, without a broker. */
    private static List<Probed> search(int limit, String... args) throws Exception {
        List<Probed> probed = new ArrayList<>();
        BenchMaxBedsCommand cmd = new BenchMaxBedsCommand(run -> {
            probed.add(new Probed(run.beds(), run.lightsOn()));
            ObjectNode json = JsonCodec.mapper().createObjectNode();
            json.put("lights_on_rescore_s", 12.5);
            boolean ok = run.beds() <= limit;
            return new BenchPipelineCommand.Outcome(json, ok, true, ok ? 100 : 5000, 1, Double.NaN);
        });
        new CommandLine(cmd).parseArgs(args);
        JsonNode out = cmd.search();
        assertThat(out.get("lights_on").asBoolean()).isEqualTo(probed.get(0).lightsOn());
        assertThat(out.get("max_beds").asInt()).isEqualTo(probed.stream().filter(p -> p.beds() <= limit)
                .mapToInt(Probed::beds).max().orElse(0));
        for (JsonNode p : out.get("probes")) {
            assertThat(p.has("lights_on_rescore_s")).as("a probe reports re-scores only when it waited for them")
                    .isEqualTo(out.get("lights_on").asBoolean());
        }
        return probed;
    }

    @Test
    void maxBedsProbesSkipLightsOnUnlessAskedFor() throws Exception {
        List<Probed> quiet = search(300, "--start", "100", "--probes", "4");
        assertThat(quiet).extracting(Probed::beds).containsExactly(100, 200, 400, 300);
        assertThat(quiet).extracting(Probed::lightsOn).containsOnly(false);
        assertThat(new BenchPipelineCommand.Run(10, 30, 1, 1, 4, 0, null, Stagger.NONE).lightsOn())
                .as("a bench pipeline run marks lights-on by default").isTrue();

        assertThat(search(300, "--start", "100", "--probes", "2", "--no-lights-on")).extracting(Probed::lightsOn)
                .containsOnly(false);
        assertThat(search(300, "--start", "100", "--probes", "2", "--lights-on")).extracting(Probed::lightsOn)
                .containsOnly(true);

        StringWriter usage = new StringWriter();
        BenchCommand.commandLine().getSubcommands().get("max-beds").usage(new PrintWriter(usage));
        assertThat(usage.toString()).contains("--[no-]lights-on");
    }
}
