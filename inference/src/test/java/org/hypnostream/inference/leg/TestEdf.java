package org.hypnostream.inference.leg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Minimal test-only EDF reader: one signal by exact label, physical values in float64 (EDFlib formula). */
final class TestEdf {
    private TestEdf() {
    }

    record Signal(String label, String unit, double rateHz, double[] values) {
    }

    static Signal read(Path file, String label) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int headerBytes = Integer.parseInt(field(b, 184, 8));
        int records = Integer.parseInt(field(b, 236, 8));
        double recordSeconds = Double.parseDouble(field(b, 244, 8));
        int ns = Integer.parseInt(field(b, 252, 4));
        int base = 256;
        int idx = -1;
        String[] labels = new String[ns];
        for (int i = 0; i < ns; i++) {
            labels[i] = field(b, base + 16 * i, 16);
            if (labels[i].equals(label)) {
                idx = i;
            }
        }
        if (idx < 0) {
            throw new IOException(file + ": no signal labelled '" + label + "'");
        }
        int o = base + ns * (16 + 80);
        String unit = field(b, o + 8 * idx, 8);
        o += ns * 8;
        double pmin = Double.parseDouble(field(b, o + 8 * idx, 8));
        o += ns * 8;
        double pmax = Double.parseDouble(field(b, o + 8 * idx, 8));
        o += ns * 8;
        double dmin = Double.parseDouble(field(b, o + 8 * idx, 8));
        o += ns * 8;
        double dmax = Double.parseDouble(field(b, o + 8 * idx, 8));
        o += ns * 8;
        o += ns * 80;
        int[] spr = new int[ns];
        for (int i = 0; i < ns; i++) {
            spr[i] = Integer.parseInt(field(b, o + 8 * i, 8));
        }
        int recordSamples = 0;
        int before = 0;
        for (int i = 0; i < ns; i++) {
            if (i == idx) {
                before = recordSamples;
            }
            recordSamples += spr[i];
        }
        double bit = (pmax - pmin) / (dmax - dmin);
        double offset = pmax / bit - dmax;
        double[] v = new double[records * spr[idx]];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < records; r++) {
            int start = headerBytes + 2 * (r * recordSamples + before);
            for (int s = 0; s < spr[idx]; s++) {
                v[r * spr[idx] + s] = bit * (offset + bb.getShort(start + 2 * s));
            }
        }
        return new Signal(label, unit, spr[idx] / recordSeconds, v);
    }

    private static String field(byte[] b, int offset, int len) {
        return new String(b, offset, len, StandardCharsets.US_ASCII).trim();
    }
}
