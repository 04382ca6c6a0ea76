package org.hypnostream.inference.emg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.data.SharedData;
import org.tukaani.xz.XZInputStream;

/**
 * Test-only minimal WFDB reader for the single-signal, format-16 N2001 records (signal plain or .xz): physical value =
 * (digital - baseline) / gain computed in double and rounded once to float, as training/emg/n2001.py does.
 */
final class N2001TestRecords {
    record Loaded(String name, double rateHz, float[] samples, List<String> comments) {
    }

    private N2001TestRecords() {
    }

    static Path dir() {
        return SharedData.data("emglab-n2001");
    }

    static Loaded read(String recordName) throws IOException {
        Path header = dir().resolve(recordName + ".hea");
        List<String> body = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (String line : Files.readAllLines(header)) {
            String t = line.strip();
            if (t.startsWith("#")) {
                comments.add(t.substring(1).strip());
            } else if (!t.isEmpty()) {
                body.add(t);
            }
        }
        String[] rec = body.get(0).split("\\s+");
        double rate = Double.parseDouble(rec[2]);
        int n = Integer.parseInt(rec[3]);
        String[] sig = body.get(1).split("\\s+");
        String[] fmt = sig[1].split("\\+");
        if (!fmt[0].equals("16")) {
            throw new IOException(header + ": format " + fmt[0] + " not supported by the test reader");
        }
        int offset = fmt.length > 1 ? Integer.parseInt(fmt[1]) : 0;
        String gainField = sig[2].split("/")[0];
        int baseline = 0;
        if (gainField.contains("(")) {
            baseline = Integer.parseInt(gainField.substring(gainField.indexOf('(') + 1, gainField.indexOf(')')));
            gainField = gainField.substring(0, gainField.indexOf('('));
        }
        double gain = Double.parseDouble(gainField);
        Path plain = dir().resolve(sig[0]);
        byte[] raw;
        if (Files.exists(plain)) {
            raw = Files.readAllBytes(plain);
        } else {
            try (InputStream in = new XZInputStream(Files.newInputStream(dir().resolve(sig[0] + ".xz")))) {
                raw = in.readAllBytes();
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(raw, offset, raw.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        if (bb.remaining() < 2L * n) {
            throw new IOException(recordName + ": " + bb.remaining() / 2 + " samples, header says " + n);
        }
        float[] samples = new float[n];
        for (int i = 0; i < n; i++) {
            samples[i] = (float) ((bb.getShort() - baseline) / gain);
        }
        return new Loaded(rec[0], rate, samples, comments);
    }
}
