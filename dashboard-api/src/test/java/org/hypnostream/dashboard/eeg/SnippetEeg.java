package org.hypnostream.dashboard.eeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.wire.Epoch;

/**
 * The ten 30-s epochs of the real Sleep-EDF SC4001E0 snippet ({@code ../shared/data/snippets}) as the spine's
 * {@link Epoch}s: Fpz-Cz, Pz-Oz and horizontal EOG at 100 Hz in µV. A test-only minimal EDF decoder (the real reader
 * lives in ingest, which the dashboard must not depend on), EDFlib's digital-to-physical formula.
 */
final class SnippetEeg {
    private SnippetEeg() {
    }

    static List<Epoch> epochs(String bed) throws IOException {
        byte[] b = Files.readAllBytes(SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf"));
        float[][][] x = new float[10][3][3000];
        for (int c = 0; c < 3; c++) {
            double[] s = signal(b, c);
            for (int e = 0; e < 10; e++) {
                for (int i = 0; i < 3000; i++) {
                    x[e][c][i] = (float) s[e * 3000 + i];
                }
            }
        }
        List<Epoch> out = new java.util.ArrayList<>();
        for (int e = 0; e < 10; e++) {
            out.add(new Epoch(bed, e, 1_700_000_000_000_000L + e * 30_000_000L, 100, List.of("Fpz-Cz", "Pz-Oz", "EOG"), x[e], Set.of(), 0));
        }
        return out;
    }

    private static double[] signal(byte[] b, int signal) {
        int headerBytes = Integer.parseInt(field(b, 184, 8));
        int records = Integer.parseInt(field(b, 236, 8));
        int ns = Integer.parseInt(field(b, 252, 4));
        double physMin = Double.parseDouble(field(b, 256 + ns * 104 + signal * 8, 8));
        double physMax = Double.parseDouble(field(b, 256 + ns * 112 + signal * 8, 8));
        double digMin = Double.parseDouble(field(b, 256 + ns * 120 + signal * 8, 8));
        double digMax = Double.parseDouble(field(b, 256 + ns * 128 + signal * 8, 8));
        int[] spr = new int[ns];
        int recordSamples = 0;
        for (int s = 0; s < ns; s++) {
            spr[s] = Integer.parseInt(field(b, 256 + ns * 216 + s * 8, 8));
            recordSamples += spr[s];
        }
        int offsetInRecord = 0;
        for (int s = 0; s < signal; s++) {
            offsetInRecord += spr[s];
        }
        double bitvalue = (physMax - physMin) / (digMax - digMin);
        double offset = physMax / bitvalue - digMax;
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[records * spr[signal]];
        for (int r = 0; r < records; r++) {
            for (int i = 0; i < spr[signal]; i++) {
                out[r * spr[signal] + i] = bitvalue * (offset + bb.getShort(headerBytes + 2 * (r * recordSamples + offsetInRecord + i)));
            }
        }
        return out;
    }

    private static String field(byte[] b, int at, int len) {
        return new String(b, at, len, StandardCharsets.US_ASCII).trim();
    }
}
