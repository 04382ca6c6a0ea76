package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.emg.EmgClasses;
import org.hypnostream.inference.emg.EmgEvaluation;
import org.hypnostream.inference.emg.EmgScreeningModel;
import org.hypnostream.inference.emg.EmgSegmentScreening;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.inference.service.InferenceMain;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayConfig;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.ReplaySource;
import org.hypnostream.ingest.wfdb.WfdbReader;
import org.hypnostream.ingest.wfdb.WfdbRecord;
import org.hypnostream.stream.SpineConfig;
import org.hypnostream.stream.StreamProcessorApp;
import org.hypnostream.testkit.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needle-EMG screening end to end through a real in-process broker: three real N2001 recordings (ALS, myopathy,
 * control) replayed by a gateway as needle-EMG amplifiers, cut by the spine into the model's windows, closed by
 * the spine's idle rule, scored by the inference service's EMG lane. Each recording's final streamed verdict must
 * equal the offline {@link EmgEvaluation} of the same recording.
 */
class EmgStreamIT {
    private static final List<String> RECORDS = List.of("N2001A01BB01", "N2001M02BB01", "N2001C01BB51");
    private static final long CLOSE_IDLE_MS = 1500;

    @TempDir
    Path dir;

    @Test
    void streamedFinalVerdictsEqualTheOfflineEvaluation() throws Exception {
        Map<String, WfdbRecord> byBed = new LinkedHashMap<>();
        for (int i = 0; i < RECORDS.size(); i++) {
            byBed.put("emg-lab-" + (i + 1), WfdbReader.read(SharedData.data("emglab-n2001", RECORDS.get(i) + ".hea")));
        }
        Path card = SpineEndToEndIT.MODELS.resolve("emg-alsnet-v2.model.json");
        Map<String, EmgEvaluation.RecordingResult> offline = new HashMap<>();
        int windowSamples;
        try (EmgScreeningModel model = EmgScreeningModel.load(card)) {
            windowSamples = model.windowSamples();
            List<EmgEvaluation.LabelledRecording> recs = new ArrayList<>();
            byBed.values().forEach(r -> recs.add(new EmgEvaluation.LabelledRecording(r.name(),
                    EmgClasses.labelOf(r.name(), r.comments()), r.signals().get(0).physical(), r.samplingFrequencyHz())));
            EmgEvaluation.evaluate(model, recs).recordings().forEach(r -> offline.put(r.name(), r));
        }
        assertThat(offline).hasSize(RECORDS.size());

        Instant sessionStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SpineConfig spine = SpineConfig.defaults().withEmg(windowSamples, windowSamples).withEmgCloseIdle(CLOSE_IDLE_MS);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"))) {
            kafka.createTopics(2);
            InferenceConfig cfg = new InferenceConfig(kafka.bootstrapServers(), SpineEndToEndIT.MODELS, "cpu",
                    "inference-emg-it", 16, Duration.ofMillis(20), 1200, 3, -1, 1);
            try (StreamProcessorApp streams = StreamProcessorApp.start(kafka.bootstrapServers(), dir.resolve("streams"), spine,
                    new SimpleMeterRegistry(), Map.of());
                    InferenceMain inference = InferenceMain.start(cfg)) {
                List<AmplifierSource> sources = new ArrayList<>();
                byBed.forEach((bed, r) -> sources.add(ReplaySource.of(bed, r, sessionStart)));
                GatewayConfig gcfg = new GatewayConfig("gateway-emg", kafka.bootstrapServers(), dir.resolve("outbox"),
                        Pacing.AS_FAST_AS_POSSIBLE, Map.of());
                try (Gateway gateway = Gateway.start(gcfg, sources, InstantSource.system(), new SimpleMeterRegistry())) {
                    gateway.awaitSourcesDrained(Duration.ofSeconds(60));
                    Map<String, List<NeuromuscularEvent>> events = awaitFinalVerdicts(kafka.bootstrapServers(), byBed.keySet(),
                            Duration.ofSeconds(60));
                    for (Map.Entry<String, WfdbRecord> e : byBed.entrySet()) {
                        check(e.getKey(), events.get(e.getKey()), offline.get(e.getValue().name()));
                    }
                }
            }
        }
    }

    private static void check(String bed, List<NeuromuscularEvent> events, EmgEvaluation.RecordingResult offline) {
        float[][] probs = offline.windowProbabilities();
        List<NeuromuscularEvent> windows = events.stream().filter(e -> e.kind().equals(EmgSegmentScreening.KIND_WINDOW)).toList();
        List<NeuromuscularEvent> verdicts = events.stream().filter(e -> e.kind().equals(EmgSegmentScreening.KIND_RECORDING)).toList();
        assertThat(windows).as("window events of %s (%s)", bed, offline.name()).hasSize(probs.length);
        for (int i = 0; i < probs.length; i++) {
            NeuromuscularEvent w = windows.get(i);
            assertThat(w.windowIndex()).isEqualTo(i);
            for (int c = 0; c < probs[i].length; c++) {
                assertThat(w.probabilities().get(c)).as("%s window %d class %d", offline.name(), i, c)
                        .isCloseTo(probs[i][c], within(1e-5)); // batch of 1 vs 16: ORT float rounding
            }
        }
        assertThat(verdicts.stream().filter(NeuromuscularEvent::isFinal)).as("final verdicts of %s", bed).hasSize(1);
        NeuromuscularEvent fin = verdicts.get(verdicts.size() - 1);
        assertThat(fin.isFinal()).isTrue();
        assertThat(fin.windowsSoFar()).isEqualTo(probs.length);
        assertThat(fin.verdict()).as("final verdict of %s", offline.name()).isEqualTo(offline.verdict().verdict());
        assertThat(fin.confidence()).isCloseTo(offline.verdict().confidence(), within(1e-5));
        assertThat(fin.provenance().modelId()).isEqualTo("emg-alsnet-v2");
        System.out.printf("emg stream: %s %s label=%s windows=%d final=%s confidence=%.4f offline=%s %.4f%n", bed,
                offline.name(), offline.label(), probs.length, fin.verdict(), fin.confidence(), offline.verdict().verdict(),
                offline.verdict().confidence());
    }

    /** Reads neuromuscular-events.v1 (read_committed) until every bed has a final verdict. */
    private static Map<String, List<NeuromuscularEvent>> awaitFinalVerdicts(String bootstrap, java.util.Set<String> beds,
            Duration timeout) {
        Map<String, List<NeuromuscularEvent>> byBed = new HashMap<>();
        TopicReader.at(bootstrap).awaitRecords(Topics.NEUROMUSCULAR_EVENTS, records -> {
            byBed.clear();
            records.forEach(r -> byBed.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
            return beds.stream().allMatch(b -> byBed.getOrDefault(b, List.of()).stream().anyMatch(NeuromuscularEvent::isFinal));
        }, timeout);
        return byBed;
    }
}
