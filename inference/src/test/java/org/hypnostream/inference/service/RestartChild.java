package org.hypnostream.inference.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypnostream.inference.runtime.ModelRegistry;

/** A child JVM running the inference service with the test stager until it is killed (restart test). */
public final class RestartChild {
    private RestartChild() {
    }

    /** args: bootstrap servers, instance id, batch size[, look-back epochs (default 1000)]. */
    public static void main(String[] args) throws InterruptedException {
        ModelRegistry models = ModelRegistry.load(TestStager.GOOD_MODELS, "cpu");
        InferenceConfig cfg = new InferenceConfig(args[0], Path.of("unused"), "cpu", args[1], Integer.parseInt(args[2]),
                Duration.ofMillis(10), args.length > 3 ? Integer.parseInt(args[3]) : 1000, 3, -1, 1);
        InferenceService s = InferenceService.start(cfg, new TestStager(models.require("linear-stager-test")),
                new SimpleMeterRegistry(), InstantSource.system());
        CountDownLatch never = new CountDownLatch(1);
        while (s.isRunning()) { // until destroyed; exits if the service dies so the test fails fast
            never.await(1, TimeUnit.SECONDS);
        }
        System.err.println("inference service in child stopped: " + s.failure());
        System.exit(3);
    }
}
