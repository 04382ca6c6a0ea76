package org.hypnostream.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.Pacing;
import org.hypnostream.ingest.source.SyntheticAmplifier;

/** The gateway process that {@link GatewayKillIT} kills: args = bootstrap, outbox dir, beds, speed. */
public final class GatewayChild {
    private GatewayChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<AmplifierSource> beds = new ArrayList<>();
        for (int i = 1; i <= Integer.parseInt(args[2]); i++) {
            beds.add(new SyntheticAmplifier("bed-" + i, i, Instant.parse("2026-01-10T22:00:00Z")));
        }
        GatewayConfig cfg = new GatewayConfig("it-c", args[0], Path.of(args[1]), Pacing.factor(Double.parseDouble(args[3])), Map.of());
        Gateway.start(cfg, beds, InstantSource.system(), new SimpleMeterRegistry());
        new CountDownLatch(1).await(); // runs until killed
    }
}
