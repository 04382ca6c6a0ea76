package org.hypnostream.inference.service;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hypnostream.common.wire.Epoch;

/** Deterministic synthetic 3-channel, 100 Hz epochs (a function of bed and index); flat ones on request. */
final class TestEpochs {
    static final long SESSION_START_MICROS = 1_790_000_000_000_000L;
    static final List<String> CHANNELS = List.of("Fpz-Cz", "Pz-Oz", "EOG");

    private TestEpochs() {
    }

    static Epoch epoch(String bed, long index, boolean flat) {
        Random rnd = new Random(bed.hashCode() * 100_003L + index);
        double amp = 5 + 60 * rnd.nextDouble();
        double freq = 0.5 + 12 * rnd.nextDouble();
        float[][] x = new float[3][3000];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3000; i++) {
                x[c][i] = flat && c == 0 ? 0f
                        : (float) (amp * (c + 1) * Math.sin(2 * Math.PI * freq * i / 100.0) + 3 * rnd.nextGaussian());
            }
        }
        long start = SESSION_START_MICROS + index * Epoch.EPOCH_MICROS;
        return new Epoch(bed, index, SESSION_START_MICROS, 100, CHANNELS, x, Set.of(), start + Epoch.EPOCH_MICROS + 500_000);
    }
}
