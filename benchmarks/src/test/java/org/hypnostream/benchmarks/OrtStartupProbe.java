package org.hypnostream.benchmarks;

import java.nio.file.Path;
import org.hypnostream.inference.runtime.ModelRegistry;

/** Child-JVM main of {@link OrtStartupForkTest}: starts ONNX Runtime as the ONNX benchmarks do and loads both stagers. */
public final class OrtStartupProbe {
    private OrtStartupProbe() {
    }

    public static void main(String[] args) {
        OrtStartup.environment();
        try (ModelRegistry r = ModelRegistry.load(Path.of(args[0]), "cpu")) {
            r.require(StagerBenchmark.MODEL);
            r.require(SequenceStagerBenchmark.MODEL);
        }
        System.out.println("sessions ok");
    }
}
