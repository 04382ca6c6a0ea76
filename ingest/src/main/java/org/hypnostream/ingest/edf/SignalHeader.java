package org.hypnostream.ingest.edf;

import java.util.ArrayList;
import java.util.List;

/** One signal's part of an EDF header (the per-signal fields are stored field by field for all signals). */
record SignalHeader(String label, String transducer, String dimension, double physicalMin, double physicalMax,
        int digitalMin, int digitalMax, String prefilter, int samplesPerRecord) {

    /** Reads the {@code ns} signal headers that follow the 256-byte main header. */
    static List<SignalHeader> readAll(HeaderFields h, int ns) {
        String[] label = new String[ns];
        for (int i = 0; i < ns; i++) {
            label[i] = h.ascii(256 + 16 * i, 16);
        }
        int o = 256 + 16 * ns;
        int transducer = o;
        int dimension = transducer + 80 * ns;
        int pmin = dimension + 8 * ns;
        int pmax = pmin + 8 * ns;
        int dmin = pmax + 8 * ns;
        int dmax = dmin + 8 * ns;
        int prefilter = dmax + 8 * ns;
        int spr = prefilter + 80 * ns;
        List<SignalHeader> out = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            String of = " of signal " + i + " (" + label[i] + ")";
            out.add(new SignalHeader(label[i], h.ascii(transducer + 80 * i, 80), h.ascii(dimension + 8 * i, 8),
                    h.decimal(pmin + 8 * i, 8, "physical minimum" + of), h.decimal(pmax + 8 * i, 8, "physical maximum" + of),
                    h.integer(dmin + 8 * i, 8, "digital minimum" + of), h.integer(dmax + 8 * i, 8, "digital maximum" + of),
                    h.ascii(prefilter + 80 * i, 80), h.integer(spr + 8 * i, 8, "samples per record" + of)));
        }
        return out;
    }

    boolean isAnnotation(boolean edfPlus) {
        return edfPlus && label.equals(EdfReader.ANNOTATIONS_LABEL);
    }

    /** Refuses an impossible signal: no samples, an absurd rate, an empty digital or physical range. */
    void check(HeaderFields h, int i, double recordSeconds, boolean annotation) {
        String which = "signal " + i + " (" + label + ")";
        if (samplesPerRecord < 1) {
            throw h.fail(which + " has " + samplesPerRecord + " samples per record");
        }
        if (annotation) {
            return;
        }
        if (recordSeconds > 0 && samplesPerRecord / recordSeconds > EdfReader.MAX_SAMPLE_RATE_HZ) {
            throw h.fail(which + " has an absurd sample rate of " + (samplesPerRecord / recordSeconds) + " Hz");
        }
        if (digitalMin >= digitalMax || digitalMin < -32768 || digitalMax > 32767) {
            throw h.fail(which + " has digital range " + digitalMin + ".." + digitalMax
                    + ", expected min < max within -32768..32767");
        }
        if (physicalMin == physicalMax || !Double.isFinite(physicalMin) || !Double.isFinite(physicalMax)) {
            throw h.fail(which + " has physical range " + physicalMin + ".." + physicalMax);
        }
    }
}
