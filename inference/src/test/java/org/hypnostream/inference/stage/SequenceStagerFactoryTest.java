package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.service.SequenceStagerFactory;
import org.hypnostream.inference.service.StageScorerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v3 card and graph pass the runtime's checks; the ServiceLoader picks the sequence factory and it scores. */
class SequenceStagerFactoryTest {

    @Test
    void registryAcceptsTheV3ModelAndTheFactoryScoresWithIt(@TempDir Path dir) throws Exception {
        Path card = SequenceFixtures.cardFile();
        Files.copy(card, dir.resolve(card.getFileName()));
        Path onnx = card.resolveSibling(StagerEvaluation.readCard(card).onnx());
        Files.copy(onnx, dir.resolve(onnx.getFileName()));
        try (ModelRegistry registry = ModelRegistry.load(dir, "cpu")) {
            LoadedModel model = registry.require(SequenceFixtures.MODEL);
            List<StageScorerFactory> factories = java.util.ServiceLoader.load(StageScorerFactory.class).stream()
                    .map(java.util.ServiceLoader.Provider::get).filter(f -> f.supports(model)).toList();
            assertThat(factories).singleElement().isInstanceOf(SequenceStagerFactory.class);
            StageScorer s = factories.get(0).create(model);
            assertThat(s).isInstanceOf(SequenceStager.class);
            assertThat(s.modelSha256()).isEqualTo(model.sha256());
            float[] x = new float[3000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (20 * Math.sin(i * 0.2) + (i % 7));
            }
            StageResult r = s.scoreBatch(List.of(s.newState()), List.of(new Epoch("bed-f", 0, 0, 100,
                    List.of("Fpz-Cz", "Pz-Oz", "EOG"), new float[][] {x, x.clone(), x.clone()}, Set.of(), 0))).get(0);
            assertThat(r.stage()).isNotEqualTo(Stage.UNSCORED);
            assertThat(r.probabilities()).hasSize(5);
            assertThat(((SequenceStager) s).hasRevised()).as("no revised graph in the folder: live only").isFalse();
        }
        Path revised = StagerEvaluation.revisedOnnxFile(card, StagerEvaluation.readCard(card));
        Files.copy(revised, dir.resolve(revised.getFileName()));
        try (ModelRegistry registry = ModelRegistry.load(dir, "cpu")) {
            StageScorer s = new SequenceStagerFactory().create(registry.require(SequenceFixtures.MODEL));
            assertThat(((SequenceStager) s).hasRevised()).as("with its revised graph: the morning re-score").isTrue();
        }
    }
}
