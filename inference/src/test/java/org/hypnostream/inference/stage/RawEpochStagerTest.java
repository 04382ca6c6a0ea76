package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.service.RawStagerFactory;
import org.hypnostream.inference.service.StageScorerFactory;
import org.hypnostream.testkit.TestEdf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw-waveform stager with the tiny model exported by training/stager_raw/train_raw.py from the 5-min Sleep-EDF
 * snippet: the registry and ServiceLoader accept it, Java scoring of the real snippet epochs equals torch (golden,
 * 1e-5), unusable epochs are never fed to the graph, and the per-bed causal state behaves.
 */
class RawEpochStagerTest {
    private static final String ID = "raw-stager-test";
    private static final Path EDF = SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf");
    private static final List<String> LABELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path dir;
    private static ModelRegistry registry;
    private static LoadedModel model;
    private static float[][][] snippet;
    private static JsonNode golden;

    @BeforeAll
    static void load() throws Exception {
        for (String f : List.of(ID + ".model.json", ID + ".onnx")) {
            try (InputStream in = RawEpochStagerTest.class.getResourceAsStream("/models/raw-stager/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        registry = ModelRegistry.load(dir, "cpu");
        model = registry.require(ID);
        try (InputStream in = RawEpochStagerTest.class.getResourceAsStream("/models/raw-stager/" + ID + ".golden.json")) {
            golden = JsonCodec.mapper().readTree(in);
        }
        double[][] ch = new double[3][];
        for (int c = 0; c < 3; c++) {
            ch[c] = TestEdf.signal(EDF, c);
        }
        assertThat(TestEdf.label(EDF, 2)).isEqualTo("EOG horizontal");
        snippet = new float[ch[0].length / 3000][3][3000];
        for (int e = 0; e < snippet.length; e++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 3000; i++) {
                    snippet[e][c][i] = (float) ch[c][e * 3000 + i];
                }
            }
        }
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private static RawEpochStager stager() {
        return (RawEpochStager) new RawStagerFactory().create(model);
    }

    private static Epoch epoch(String bed, int index, float[][] channels, Set<QualityFlag> flags) {
        return new Epoch(bed, index, 0, 100, LABELS, channels, flags, 0);
    }

    private static Epoch snippetEpoch(String bed, int index) {
        return epoch(bed, index, snippet[index], Set.of());
    }

    private static double[] expected(int caseNo, int epoch) {
        JsonNode p = golden.get("cases").get(caseNo).get("probabilities").get(epoch);
        double[] d = new double[5];
        for (int i = 0; i < 5; i++) {
            d[i] = p.get(i).asDouble();
        }
        return d;
    }

    private static void assertMatches(StageResult r, double[] want) {
        assertThat(r.probabilities()).hasSize(5);
        int best = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(r.probabilities().get(i)).isCloseTo(want[i], within(TOLERANCE));
            best = want[i] > want[best] ? i : best;
        }
        assertThat(r.stage()).isEqualTo(Stage.SCORED.get(best));
    }

    @Test
    void registryAcceptsTheCardAndTheServiceLoaderPicksTheRawFactory() {
        assertThat(model.card().featureRecipe()).isNull();
        assertThat(model.card().inputs().get(0).shape()).containsExactly(-1L, 3L, 3L, 3000L);
        assertThat(model.card().trainedHere()).isFalse();
        assertThat(model.card().evaluation().isEmpty()).isTrue();
        List<StageScorerFactory> supporting = ServiceLoader.load(StageScorerFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.supports(model)).toList();
        assertThat(supporting).hasSize(1).first().isInstanceOf(RawStagerFactory.class);
        StageScorer s = supporting.get(0).create(model);
        assertThat(s).isInstanceOf(RawEpochStager.class);
        assertThat(((RawEpochStager) s).windowEpochs()).isEqualTo(3);
        assertThat(s.modelSha256()).isEqualTo(model.sha256());
        assertThat(s.provider()).isEqualTo("CPU");
    }

    @Test
    void realSnippetEpochsScoredOneByOneEqualTorch() {
        RawEpochStager s = stager();
        StageScorer.BedState state = s.newState();
        assertThat(golden.get("epochs").asInt()).isEqualTo(snippet.length);
        for (int e = 0; e < snippet.length; e++) {
            StageResult r = s.scoreBatch(List.of(state), List.of(snippetEpoch("bed-1", e))).get(0);
            assertThat(r.fromPriorOnly()).isFalse();
            assertThat(r.reason()).isNull();
            assertMatches(r, expected(0, e));
            assertThat(state.lastEpochIndex()).isEqualTo(e);
        }
    }

    @Test
    void oneBatchOfTwoBedsAndConsecutiveEpochsEqualsTorch() {
        RawEpochStager s = stager();
        StageScorer.BedState a = s.newState();
        StageScorer.BedState b = s.newState();
        List<StageScorer.BedState> states = new ArrayList<>();
        List<Epoch> epochs = new ArrayList<>();
        for (int e = 0; e < snippet.length; e++) {
            states.add(a);
            epochs.add(snippetEpoch("bed-a", e));
            if (e < 4) {
                states.add(b);
                epochs.add(snippetEpoch("bed-b", e));
            }
        }
        List<StageResult> out = s.scoreBatch(states, epochs);
        for (int i = 0; i < out.size(); i++) {
            assertMatches(out.get(i), expected(0, (int) epochs.get(i).index()));
        }
        assertThat(a.lastEpochIndex()).isEqualTo(snippet.length - 1);
        assertThat(b.lastEpochIndex()).isEqualTo(3);
    }

    @Test
    void flatEpochIsCarriedFromThePriorAndZeroedInLaterWindowsLikeTorch() {
        JsonNode gap = golden.get("cases").get(1);
        int bad = gap.get("unusable_epochs").get(0).asInt();
        RawEpochStager s = stager();
        StageScorer.BedState state = s.newState();
        StageResult previous = null;
        for (int e = 0; e < snippet.length; e++) {
            float[][] x = e == bad ? new float[3][3000] : snippet[e];
            StageResult r = s.scoreBatch(List.of(state), List.of(epoch("bed-2", e, x, Set.of()))).get(0);
            if (e == bad) {
                assertThat(gap.get("probabilities").get(e).isNull()).isTrue();
                assertThat(r.fromPriorOnly()).isTrue();
                assertThat(r.reason()).contains("FLAT on Fpz-Cz").contains("carried from epoch " + (bad - 1));
                assertThat(r.quality()).contains(QualityFlag.FLAT);
                assertThat(r.probabilities()).isEqualTo(previous.probabilities());
                assertThat(r.stage()).isEqualTo(previous.stage());
            } else {
                assertThat(r.fromPriorOnly()).isFalse();
                assertMatches(r, expected(1, e));
            }
            previous = r;
        }
        // the zeroed slot really changed the windows after it (else the golden case proves nothing)
        assertThat(Math.abs(expected(1, bad + 1)[0] - expected(0, bad + 1)[0])).isGreaterThan(100 * TOLERANCE);
    }

    @Test
    void unusableFirstEpochsAreUnscoredWithTheirReason() {
        RawEpochStager s = stager();
        StageScorer.BedState state = s.newState();
        float[][] nan = Arrays.stream(snippet[0]).map(float[]::clone).toArray(float[][]::new);
        nan[1][17] = Float.NaN;
        StageResult r0 = s.scoreBatch(List.of(state), List.of(epoch("bed-3", 0, nan, Set.of()))).get(0);
        assertThat(r0.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r0.probabilities()).isEmpty();
        assertThat(r0.reason()).contains("NAN on Pz-Oz").contains("no prior epoch");
        assertThat(r0.quality()).contains(QualityFlag.NAN);
        Epoch twoChannels = new Epoch("bed-3", 1, 0, 100, List.of("Fpz-Cz", "Pz-Oz"),
                new float[][] {snippet[1][0], snippet[1][1]}, Set.of(), 0);
        StageResult r1 = s.scoreBatch(List.of(state), List.of(twoChannels)).get(0);
        assertThat(r1.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r1.reason()).contains("MISSING_CHANNEL EOG");
        StageResult r2 = s.scoreBatch(List.of(state), List.of(epoch("bed-3", 2, snippet[2], Set.of(QualityFlag.GAP))))
                .get(0);
        assertThat(r2.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r2.reason()).startsWith("GAP");
        assertThat(state.lastEpochIndex()).isEqualTo(2);
        // first usable epoch: its prior slots (epochs 1 and 2 unusable) are zeros, so it equals torch's first window
        StageResult r3 = s.scoreBatch(List.of(state), List.of(epoch("bed-3", 3, snippet[0], Set.of()))).get(0);
        assertMatches(r3, expected(0, 0));
    }

    @Test
    void lastProbabilitiesAreNotCarriedForeverAndOrderIsEnforced() {
        RawEpochStager s = stager();
        StageScorer.BedState state = s.newState();
        s.scoreBatch(List.of(state), List.of(snippetEpoch("bed-4", 0)));
        long far = RawEpochStager.MAX_CARRY_EPOCHS + 1;
        StageResult r = s.scoreBatch(List.of(state), List.of(new Epoch("bed-4", far, 0, 100, LABELS,
                new float[3][3000], Set.of(), 0))).get(0);
        assertThat(r.stage()).isEqualTo(Stage.UNSCORED);
        assertThat(r.reason()).contains("more than " + RawEpochStager.MAX_CARRY_EPOCHS + " epochs back");
        assertThatThrownBy(() -> s.scoreBatch(List.of(state, state),
                List.of(new Epoch("bed-4", far + 1, 0, 100, LABELS, snippet[1], Set.of(), 0), snippetEpoch("bed-4", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index order");
        assertThat(state.lastEpochIndex()).isEqualTo(far);
    }

    @Test
    void savedStateResumesExactlyAndCorruptStateIsRefused() {
        RawEpochStager s = stager();
        StageScorer.BedState state = s.newState();
        for (int e = 0; e < 6; e++) {
            float[][] x = e == 4 ? new float[3][3000] : snippet[e];
            s.scoreBatch(List.of(state), List.of(epoch("bed-5", e, x, Set.of())));
        }
        byte[] saved = s.saveState(state);
        StageScorer.BedState restored = stager().loadState(saved);
        assertThat(restored.lastEpochIndex()).isEqualTo(5);
        assertThat(s.saveState(restored)).isEqualTo(saved);
        for (int e = 6; e < snippet.length; e++) {
            StageResult a = s.scoreBatch(List.of(state), List.of(snippetEpoch("bed-5", e))).get(0);
            StageResult b = s.scoreBatch(List.of(restored), List.of(snippetEpoch("bed-5", e))).get(0);
            assertThat(b).isEqualTo(a);
        }
        assertThatThrownBy(() -> s.loadState(Arrays.copyOf(saved, saved.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> s.loadState(Arrays.copyOf(saved, saved.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
    }

    @Test
    void cardsItCannotRunAreRefusedWithTheReason() throws Exception {
        ObjectNode json = (ObjectNode) JsonCodec.mapper().valueToTree(model.card());
        assertThat(RawEpochStager.cardProblem(read(json))).isNull();
        assertThat(RawEpochStager.cardProblem(read(json.deepCopy().put("prior_epochs", 4))))
                .contains("prior_epochs 4");
        assertThat(RawEpochStager.cardProblem(read(json.deepCopy().put("feature_recipe", "sleep-edf-sc-35x3"))))
                .contains("feature recipe");
        ObjectNode rate = json.deepCopy();
        ((ObjectNode) rate.get("input_signals").get(1)).put("rate_hz", 128);
        assertThat(RawEpochStager.cardProblem(read(rate))).contains("Pz-Oz");
        ObjectNode shape = json.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) shape.get("inputs").get(0).get("shape")).set(3,
                JsonCodec.mapper().getNodeFactory().numberNode(2999));
        assertThat(RawEpochStager.cardProblem(read(shape))).contains("does not give 2999 samples");
        Path rank3 = Path.of(getClass().getResource("/models/good/raw-conv-test.model.json").toURI());
        assertThat(RawEpochStager.cardProblem(JsonCodec.mapper().readValue(rank3.toFile(), ModelCard.class)))
                .contains("input shape");
    }

    private static ModelCard read(JsonNode json) throws Exception {
        return JsonCodec.mapper().treeToValue(json, ModelCard.class);
    }
}
