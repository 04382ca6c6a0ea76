package org.hypnostream.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-only minimal EDF decoder (the real reader lives in ingest, which inference and the dashboard must not depend on): reads one
 * signal of a plain EDF file in its physical unit with EDFlib's digital-to-physical formula (stager-features.md §1.2).
 */
public final class TestEdf {
    private TestEdf() {
    }

    /** One decoded signal: its label, physical unit, sampling rate and values. */
    public record Signal(String label, String unit, double rateHz, double[] values) {
    }

    /**
     * The ten 30-s epochs of the SC4001E0 snippet as float µV, {@code [epoch][signal][sample]}, signals in file order
     * (Fpz-Cz, Pz-Oz, EOG horizontal), 3000 samples at 100 Hz each.
     */
    public static float[][][] snippetEpochs() throws IOException {
        Path edf = org.hypnostream.common.data.SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf");
        float[][][] epochs = new float[10][3][3000];
        for (int c = 0; c < 3; c++) {
            double[] s = signal(edf, c);
            for (int e = 0; e < 10; e++) {
                for (int i = 0; i < 3000; i++) {
                    epochs[e][c][i] = (float) s[e * 3000 + i];
                }
            }
        }
        return epochs;
    }

    /** The physical values of signal number {@code signal} (0-based, file order). */
    public static double[] signal(Path file, int signal) throws IOException {
        return read(Files.readAllBytes(file), signal).values();
    }

    public static String label(Path file, int signal) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return field(b, 256 + signal * 16, 16);
    }

    /** The signal with exactly this label. */
    public static Signal read(Path file, String label) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int ns = Integer.parseInt(field(b, 252, 4));
        for (int i = 0; i < ns; i++) {
            if (field(b, 256 + 16 * i, 16).equals(label)) {
                return read(b, i);
            }
        }
        throw new IOException(file + ": no signal labelled '" + label + "'");
    }

    private static Signal read(byte[] b, int signal) {
        int headerBytes = Integer.parseInt(field(b, 184, 8));
        int records = Integer.parseInt(field(b, 236, 8));
        double recordSeconds = Double.parseDouble(field(b, 244, 8));
        int ns = Integer.parseInt(field(b, 252, 4));
        int base = 256;
        String unit = field(b, base + ns * 96 + signal * 8, 8);
        double physMin = Double.parseDouble(field(b, base + ns * 104 + signal * 8, 8));
        double physMax = Double.parseDouble(field(b, base + ns * 112 + signal * 8, 8));
        double digMin = Double.parseDouble(field(b, base + ns * 120 + signal * 8, 8));
        double digMax = Double.parseDouble(field(b, base + ns * 128 + signal * 8, 8));
        int[] spr = new int[ns];
        int recordSamples = 0;
        for (int s = 0; s < ns; s++) {
            spr[s] = Integer.parseInt(field(b, base + ns * 216 + s * 8, 8));
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
                int digital = bb.getShort(headerBytes + 2 * (r * recordSamples + offsetInRecord + i));
                out[r * spr[signal] + i] = bitvalue * (offset + digital);
            }
        }
        return new Signal(field(b, base + signal * 16, 16), unit, spr[signal] / recordSeconds, out);
    }

    private static String field(byte[] b, int at, int len) {
        return new String(b, at, len, StandardCharsets.US_ASCII).trim();
    }
}
