package org.hypnostream.app;

import java.util.concurrent.Callable;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.stream.StreamProcessorMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hypnostream stream-processor}: the Kafka Streams topologies (epochs, leg windows, EMG segments, PLM). */
@Command(name = "stream-processor", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams topologies (exactly_once_v2).")
final class StreamProcessorCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() throws InterruptedException {
        return UntilStopped.run(StreamProcessorMain.start(service.overrides()), System.err);
    }
}
