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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped card and graph pass the runtime's checks, and the ServiceLoader factory builds a working stager. */
class CausalStagerFactoryTest {

    @Test
    void registryAcceptsTheShippedModelAndTheFactoryScoresWithIt(@TempDir Path dir) throws Exception {
        Path card = StagerFixtures.cardFile();
        Files.copy(card, dir.resolve(card.getFileName()));
        Path onnx = card.resolveSibling(StagerEvaluation.readCard(card).onnx());
        Files.copy(onnx, dir.resolve(onnx.getFileName()));
        try (ModelRegistry registry = ModelRegistry.load(dir, "cpu")) {
            LoadedModel model = registry.require(StagerFixtures.MODEL);
            var factory = java.util.ServiceLoader.load(org.hypnostream.inference.service.StageScorerFactory.class)
                    .stream().map(java.util.ServiceLoader.Provider::get).filter(f -> f.supports(model)).findFirst();
            assertThat(factory).isPresent();
            StageScorer s = factory.get().create(model);
            assertThat(s).isInstanceOf(CausalStager.class);
            assertThat(s.modelSha256()).isEqualTo(model.sha256());
            assertThat(s.provider()).isEqualTo("CPU");
            float[] x = new float[3000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (20 * Math.sin(i * 0.2) + (i % 7));
            }
            StageResult r = s.scoreBatch(List.of(s.newState()), List.of(new Epoch("bed-f", 0, 0, 100,
                    List.of("Fpz-Cz", "Pz-Oz", "EOG"), new float[][] {x, x.clone(), x.clone()}, Set.of(), 0))).get(0);
            assertThat(r.stage()).isNotEqualTo(Stage.UNSCORED);
            assertThat(r.probabilities()).hasSize(5);
        }
    }
}
