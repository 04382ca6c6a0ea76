package org.hypnostream.inference.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import org.hypnostream.common.event.JsonCodec;
import org.junit.jupiter.api.Test;

/**
 * Java recipe vs the independent numpy/scipy implementation (training/stager/features.py) on synthetic epochs that
 * both sides generate bit for bit from an integer LCG (noise on a triangle wave, DC offset, spikes, square wave:
 * quantised like EDF, so bin-edge ties and zero steps occur). Tolerance: |java - python| <= 1e-9 |python| + 1e-12.
 */
class SyntheticFeaturesTest {
    private static final int N = 3000;

    static long[] digital(String kind, long seed) {
        long state = seed;
        long[] out = new long[N];
        for (int i = 0; i < N; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            long noise = Math.floorMod(state >>> 33, 201L) - 100;
            long d = switch (kind) {
                case "square" -> ((i / 50) % 2 == 0 ? 300 : -300) + Math.floorDiv(noise, 16);
                case "dc" -> 900 + Math.floorDiv(noise, 4);
                case "spiky" -> Math.floorDiv(noise, 8) + (i % 397 == 0 ? 1500 : 0);
                case "wave" -> noise + 6 * (Math.abs((i * 3) % 400 - 200) - 100);
                default -> throw new IllegalArgumentException(kind);
            };
            out[i] = Math.max(-2048, Math.min(2047, d));
        }
        return out;
    }

    @Test
    void javaMatchesNumpyOnSyntheticEpochs() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/stager/synthetic-features.json")) {
            root = JsonCodec.mapper().readTree(in);
        }
        double bitvalue = root.get("bitvalue").asDouble();
        double offset = root.get("offset").asDouble();
        assertThat(bitvalue).isEqualTo((192.0 - -192.0) / (2047.0 - -2048.0));
        SleepEdfFeatures recipe = new SleepEdfFeatures();
        int cells = 0;
        for (JsonNode e : root.get("epochs")) {
            double[][] sig = new double[3][N];
            for (int c = 0; c < 3; c++) {
                long[] d = digital(e.get("kinds").get(c).asText(), e.get("seeds").get(c).asLong());
                for (int i = 0; i < N; i++) {
                    sig[c][i] = bitvalue * (offset + d[i]);
                }
            }
            double[] got = recipe.compute(sig, "synthetic " + e.get("kinds"));
            for (int j = 0; j < 105; j++) {
                double ref = e.get("features").get(j).asDouble();
                assertThat(Math.abs(got[j] - ref)).as(e.get("kinds") + " column " + j + ": java " + got[j]
                        + " python " + ref).isLessThanOrEqualTo(1e-9 * Math.abs(ref) + 1e-12);
                cells++;
            }
        }
        assertThat(cells).isEqualTo(315);
    }
}
