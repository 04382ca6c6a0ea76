package org.hypnostream.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@link SpineMetrics} as Micrometer counters {@code hypnostream.stream.*} (no bed or patient tags). */
final class MicrometerSpineMetrics implements SpineMetrics {
    private final MeterRegistry registry;
    private final Counter epochs;
    private final Counter legWindows;
    private final Counter emgSegments;
    private final Counter duplicates;
    private final Counter emgIdleChecks;

    MicrometerSpineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.epochs = Counter.builder("hypnostream.stream.epochs").description("EEG epochs emitted").register(registry);
        this.legWindows = Counter.builder("hypnostream.stream.leg_windows").description("leg windows emitted").register(registry);
        this.emgSegments = Counter.builder("hypnostream.stream.emg_segments").description("needle-EMG segments emitted")
                .register(registry);
        this.duplicates = Counter.builder("hypnostream.stream.duplicates").description("duplicate blocks dropped")
                .register(registry);
        this.emgIdleChecks = Counter.builder("hypnostream.stream.emg_idle_checks")
                .description("runs of the idle needle-EMG recording check (only while a recording is open)")
                .register(registry);
    }

    @Override
    public void epochs(int n) {
        epochs.increment(n);
    }

    @Override
    public void legWindows(int n) {
        legWindows.increment(n);
    }

    @Override
    public void emgSegments(int n) {
        emgSegments.increment(n);
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    @Override
    public void emgIdleCheck() {
        emgIdleChecks.increment();
    }

    @Override
    public void deadLetter(String reasonCode) {
        Counter.builder("hypnostream.stream.dead_letters").description("records sent to dead-letter.v1")
                .tag("reason", reasonCode == null ? "unknown" : reasonCode).register(registry).increment();
    }
}
