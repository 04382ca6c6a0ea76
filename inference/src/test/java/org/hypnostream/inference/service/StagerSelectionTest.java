package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.CausalStager;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stager is the configured one ({@code inference.stager.model}, default v3), not the first card by file name: with
 * both shipped stagers in the folder each id picks its own implementation; an unknown id, a model of another task or
 * one no factory supports is refused naming the staging models found.
 */
class StagerSelectionTest {
    private static final Path MODELS = Path.of("../models");
    private static ModelRegistry models;
    private static List<StageScorerFactory> factories;

    @BeforeAll
    static void load() {
        models = ModelRegistry.load(MODELS, "cpu");
        factories = ServiceLoader.load(StageScorerFactory.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static InferenceConfig cfg(String stager) {
        return new InferenceConfig("127.0.0.1:9", MODELS, "cpu", "sel", 16, Duration.ofMillis(5), 0, 3, -1, 1)
                .withStagerModel(stager);
    }

    @Test
    void theDefaultIsV3AndV2CanBeChosen() {
        InferenceConfig def = new InferenceConfig("127.0.0.1:9", MODELS, "cpu", "sel", 16, Duration.ofMillis(5), 0, 3,
                -1, 1);
        StageScorer v3 = InferenceMain.stager(models, def, factories);
        assertThat(v3).isInstanceOf(SequenceStager.class);
        assertThat(v3.modelId()).isEqualTo("stager-features-welch-gru-v3");
        StageScorer v2 = InferenceMain.stager(models, cfg("stager-features-welch-hmm-v2"), factories);
        assertThat(v2).isInstanceOf(CausalStager.class);
        assertThat(v2.modelId()).isEqualTo("stager-features-welch-hmm-v2");
    }

    @Test
    void anUnknownIdOrAnotherTaskIsRefusedNamingTheStagingModels() {
        assertThatThrownBy(() -> InferenceMain.stager(models, cfg("stager-features-welch-gru-v9"), factories))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference.stager.model=stager-features-welch-gru-v9: no such model in ../models")
                .hasMessageContaining("stager-features-welch-gru-v3").hasMessageContaining("stager-features-welch-hmm-v2")
                .message().doesNotContain("emg-alsnet-v2");
        assertThatThrownBy(() -> InferenceMain.stager(models, cfg("emg-alsnet-v2"), factories))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference.stager.model=emg-alsnet-v2 is a neuromuscular-screening model");
        assertThatThrownBy(() -> InferenceMain.stager(models, cfg("stager-features-welch-hmm-v2"),
                List.of(new SequenceStagerFactory())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference.stager.model=stager-features-welch-hmm-v2: no stager on the class path "
                        + "supports it");
    }
}
