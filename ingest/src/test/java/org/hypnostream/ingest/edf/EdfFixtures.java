package org.hypnostream.ingest.edf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds small EDF+ files for tests: one data signal "EEG X" (digital = physical, 4 Hz) plus annotations. */
final class EdfFixtures {
    private EdfFixtures() {
    }

    /** EDF+D with 1-s records at the given onsets; the last record carries annotation "marker" at +0.5 s. */
    static byte[] edfPlusD(double[] onsets, int samplesPerRecord) {
        int ns = 2;
        int annBytes = 60;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        field(o, "0", 8);
        field(o, "X X X X", 80);
        field(o, "Startdate 01-JAN-2020 X X X", 80);
        field(o, "01.01.20", 8);
        field(o, "22.00.00", 8);
        field(o, Integer.toString(256 * (ns + 1)), 8);
        field(o, "EDF+D", 44);
        field(o, Integer.toString(onsets.length), 8);
        field(o, "1", 8);
        field(o, Integer.toString(ns), 4);
        String[][] per = {
                {"EEG X", "EDF Annotations"}, {"", ""}, {"uV", ""}, {"-32768", "-1"}, {"32767", "1"},
                {"-32768", "-32768"}, {"32767", "32767"}, {"", ""},
                {Integer.toString(samplesPerRecord), Integer.toString(annBytes / 2)}, {"", ""}};
        int[] widths = {16, 80, 8, 8, 8, 8, 8, 80, 8, 32};
        for (int f = 0; f < per.length; f++) {
            for (int s = 0; s < ns; s++) {
                field(o, per[f][s], widths[f]);
            }
        }
        int v = 0;
        for (int r = 0; r < onsets.length; r++) {
            for (int i = 0; i < samplesPerRecord; i++, v++) {
                o.write(v & 0xff);
                o.write((v >> 8) & 0xff);
            }
            String tal = "+" + onsets[r] + "\u0014\u0014\u0000";
            if (r == onsets.length - 1) {
                tal += "+" + (onsets[r] + 0.5) + "\u00150.25\u0014marker\u0014\u0000";
            }
            byte[] t = tal.getBytes(StandardCharsets.UTF_8);
            byte[] ann = new byte[annBytes];
            System.arraycopy(t, 0, ann, 0, t.length);
            o.write(ann, 0, ann.length);
        }
        return o.toByteArray();
    }

    private static void field(ByteArrayOutputStream o, String s, int width) {
        byte[] b = new byte[width];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, b, 0, Math.min(a.length, width));
        o.write(b, 0, width);
    }
}
