package org.hypnostream.app;

import java.util.concurrent.Callable;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.inference.service.InferenceMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypnostream inference}: the ONNX Runtime inference service alone (stage and leg lanes). */
@Command(name = "inference", mixinStandardHelpOptions = true,
        description = "Run the inference service: eeg-epochs -> stage-events, leg-windows -> leg-events (exactly once).")
final class InferenceCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Option(names = "--device", description = "auto | cuda | cpu (inference.device).")
    String device;

    @Override
    public Integer call() throws InterruptedException {
        var o = service.overrides();
        if (device != null) {
            o.put("inference.device", device);
        }
        return UntilStopped.run(InferenceMain.start(InferenceConfig.fromEnvironment(o)), System.err);
    }
}
