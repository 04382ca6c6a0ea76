package org.hypnostream.inference.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypnostream.inference.runtime.ModelRegistry;

/**
 * A child JVM running the inference service (stage lane, lights-on lane) whose re-score of bed {@code bed-held} is
 * held forever; once it is, the file {@code marker} is created. Runs until it is killed (re-score restart test).
 */
public final class RescoreKillChild {
    static final String HELD_BED = "bed-held";

    private RescoreKillChild() {
    }

    /** args: bootstrap servers, instance id, marker file. */
    public static void main(String[] args) throws InterruptedException, IOException {
        ModelRegistry models = ModelRegistry.load(TestStager.GOOD_MODELS, "cpu");
        InferenceConfig cfg = new InferenceConfig(args[0], Path.of("unused"), "cpu", args[1], 16, Duration.ofMillis(10),
                1000, 3, -1, 1);
        HeldNight night = new HeldNight(Set.of(HELD_BED), 12, Duration.ofHours(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InferenceService s = InferenceService.start(cfg, List.of(
                new StageLane(new TestStager(models.require("linear-stager-test")), 3, registry),
                new RevisedLane(night.rescorer())), registry, InstantSource.system());
        while (s.isRunning() && !night.awaitEntered(Duration.ofSeconds(1))) {
            // until the held re-score started (or the service died)
        }
        if (s.isRunning()) {
            Files.createFile(Path.of(args[2]));
        }
        CountDownLatch never = new CountDownLatch(1);
        while (s.isRunning()) { // until destroyed; exits if the service dies so the test fails fast
            never.await(1, TimeUnit.SECONDS);
        }
        System.err.println("inference service in child stopped: " + s.failure());
        System.exit(3);
    }
}
