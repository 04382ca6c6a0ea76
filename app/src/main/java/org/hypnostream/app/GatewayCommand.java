package org.hypnostream.app;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.ingest.GatewayMain;
import org.hypnostream.ingest.GatewayOptions;
import org.hypnostream.ingest.outbox.OutboxUnwritableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hypnostream gateway}: an amplifier gateway (synthetic beds or a replayed EDF/WFDB) with its outbox. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run an amplifier gateway: sources -> Chronicle outbox -> Kafka (samples.v1).")
final class GatewayCommand implements Callable<Integer> {
    /** Exit status when the outbox directory is not a writable directory at start. */
    static final int OUTBOX_UNWRITABLE_EXIT = 3;

    @Mixin
    ServiceOptions service;

    @Option(names = "--beds", description = "Number of beds (gateway.beds).")
    Integer beds;

    @Option(names = "--speed", description = "Replay speed: 1 = real time, 20 = 20x, 0 = as fast as possible (gateway.speed).")
    String speed;

    @Option(names = "--source", description = "synthetic | edf:<file> | wfdb:<header.hea> (gateway.source).")
    String source;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> o = service.overrides();
        if (beds != null) {
            o.put("gateway.beds", beds.toString());
        }
        if (speed != null) {
            o.put("gateway.speed", speed);
        }
        if (source != null) {
            o.put("gateway.source", source);
        }
        GatewayMain.Running running;
        try {
            running = GatewayMain.start(GatewayOptions.fromEnvironment(o), InstantSource.system());
        } catch (OutboxUnwritableException e) {
            // the outbox directory cannot be created or written: nothing can be journaled, so do not start at all
            System.err.println("gateway not started: " + e.getMessage());
            return OUTBOX_UNWRITABLE_EXIT;
        }
        return UntilStopped.run(running, System.err);
    }
}
