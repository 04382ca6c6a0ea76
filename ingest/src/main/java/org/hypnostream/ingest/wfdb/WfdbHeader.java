package org.hypnostream.ingest.wfdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WFDB {@code .hea} header: the record line (name, signal count, sampling frequency, samples per signal: 0 = not
 * declared), one {@link SignalSpec} per signal and the {@code #} comment lines; single-segment records only.
 *
 * @param where the header file, for error messages
 */
record WfdbHeader(String where, String name, double samplingFrequencyHz, long samplesPerSignal, List<SignalSpec> specs,
        List<String> comments) {
    private static final int MAX_SIGNALS = 256;

    /** Reads and checks {@code headerFile}; every problem is a {@link WfdbFormatException} naming the file. */
    static WfdbHeader read(Path headerFile) throws IOException {
        String where = headerFile.toString();
        List<String> lines = Files.readAllLines(headerFile, StandardCharsets.UTF_8);
        List<String> comments = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.startsWith("#")) {
                comments.add(t.substring(1).strip());
            } else if (!t.isEmpty()) {
                fields.add(t);
            }
        }
        if (fields.isEmpty()) {
            throw fail(where, "no record line (empty or corrupt header)");
        }
        String[] rec = fields.get(0).split("\\s+");
        if (rec.length < 2) {
            throw fail(where, "record line '" + fields.get(0) + "' needs at least a name and a signal count");
        }
        String name = rec[0];
        if (name.contains("/")) {
            throw fail(where, "multi-segment records are not supported (" + name + ")");
        }
        int nsig = parseInt(rec[1], where, "signal count");
        if (nsig < 1 || nsig > MAX_SIGNALS) {
            throw fail(where, "signal count " + nsig + ", expected 1-" + MAX_SIGNALS);
        }
        double fs = 250.0;
        if (rec.length > 2) {
            String f = rec[2].split("[/(]", -1)[0];
            fs = parseDouble(f, where, "sampling frequency");
        }
        if (!(fs > 0 && fs <= WfdbReader.MAX_SAMPLING_FREQUENCY_HZ)) {
            throw fail(where, "absurd sampling frequency " + fs + " Hz");
        }
        long nsamp = rec.length > 3 ? parseLong(rec[3], where, "samples per signal") : 0;
        if (nsamp < 0) {
            throw fail(where, "negative number of samples " + nsamp);
        }
        if (fields.size() - 1 < nsig) {
            throw fail(where, "record line says " + nsig + " signals but the header has " + (fields.size() - 1)
                    + " signal lines (wrong channel count)");
        }
        List<SignalSpec> specs = new ArrayList<>();
        for (int i = 0; i < nsig; i++) {
            specs.add(SignalSpec.parse(fields.get(1 + i), where + " signal " + i));
        }
        return new WfdbHeader(where, name, fs, nsamp, specs, comments);
    }

    static WfdbFormatException fail(String where, String problem) {
        return new WfdbFormatException(where + ": " + problem);
    }

    static int parseInt(String s, String where, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw fail(where, what + " '" + s + "' is not an integer (corrupt header)");
        }
    }

    static long parseLong(String s, String where, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw fail(where, what + " '" + s + "' is not an integer (corrupt header)");
        }
    }

    static double parseDouble(String s, String where, String what) {
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw fail(where, what + " '" + s + "' is not a number (corrupt header)");
        }
    }
}
