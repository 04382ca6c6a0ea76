package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.StageScorer;
import org.junit.jupiter.api.Test;

/** The committed models/ folder passes the card checks and the service finds a stager for it (what main does). */
class ShippedModelsTest {
    @Test
    void shippedModelsLoadAndAStagerIsFound() {
        try (ModelRegistry r = ModelRegistry.load(Path.of("../models"), "cpu")) {
            LoadedModel staging = r.firstForTask(ModelCard.TASK_STAGING).orElseThrow();
            List<StageScorerFactory> factories = ServiceLoader.load(StageScorerFactory.class).stream()
                    .map(ServiceLoader.Provider::get).toList();
            assertThat(factories).hasAtLeastOneElementOfType(CausalStagerFactory.class);
            StageScorerFactory f = factories.stream().filter(x -> x.supports(staging)).findFirst().orElseThrow();
            StageScorer s = f.create(staging);
            assertThat(s.modelId()).isEqualTo(staging.id());
            assertThat(s.modelSha256()).isEqualTo(staging.sha256());
            assertThat(s.provider()).isEqualTo("CPU");
            assertThat(s.scoreBatch(List.of(s.newState()), List.of(TestEpochs.epoch("bed-1", 0, false)))).hasSize(1);
        }
    }
}
