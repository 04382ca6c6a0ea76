package org.hypnostream.ingest.wfdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tukaani.xz.XZInputStream;

/**
 * Reads a PhysioNet WFDB record: the {@code .hea} header and its format-16 signal file(s) (16-bit little-endian,
 * optional byte offset as in {@code 16+20}), plain or xz-compressed ({@code NAME.bin.xz} next to the header).
 * Signals sharing one file are interleaved frame by frame, as WFDB writes them. When the header gives a checksum it
 * is verified (16-bit sum of all samples, as WFDB defines it).
 *
 * <p>Decompression is bounded (a compression bomb is a clear error, not an unbounded allocation): an {@code .xz}
 * file may decompress to at most what the header declares (byte offset + samples per signal x 2 bytes x signals in
 * the file) plus {@link #XZ_SLACK_BYTES}; without a declared sample count, to at most {@link #MAX_UNDECLARED_BYTES}.
 * The xz decoder's own memory (dictionary) is limited to {@link #XZ_MEMORY_LIMIT_KIB}.
 */
public final class WfdbReader {
    public static final double MAX_SAMPLING_FREQUENCY_HZ = 1_000_000.0;
    /** Bytes an .xz signal file may decompress to beyond what its header declares (trailing bytes are ignored). */
    public static final long XZ_SLACK_BYTES = 64 * 1024;
    /** Largest decompressed .xz signal file when the header does not declare the number of samples. */
    public static final long MAX_UNDECLARED_BYTES = 512L << 20;
    /** Memory the xz decoder may use (its dictionary); the N2001 recordings need a few MiB. */
    public static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    private static final int MAX_SIGNALS = 256;

    private WfdbReader() {
    }

    public static WfdbRecord read(Path headerFile) throws IOException {
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
        if (!(fs > 0 && fs <= MAX_SAMPLING_FREQUENCY_HZ)) {
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
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < nsig; i++) {
            specs.add(Spec.parse(fields.get(1 + i), where + " signal " + i));
        }
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < nsig; i++) {
            byFile.computeIfAbsent(specs.get(i).file, k -> new ArrayList<>()).add(i);
        }
        short[][] digital = new short[nsig][];
        Path dir = headerFile.toAbsolutePath().getParent();
        for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
            List<Integer> members = e.getValue();
            Spec first = specs.get(members.get(0));
            long offset = first.byteOffset;
            int frame = members.size();
            long declared = nsamp > 0 ? offset + nsamp * 2L * frame : -1;
            if (nsamp > 0 && (nsamp > MAX_ARRAY_BYTES / (2L * frame) || declared > MAX_ARRAY_BYTES)) {
                throw fail(where, nsamp + " samples per signal x " + frame + " signals in " + e.getKey()
                        + " is too many to hold in memory");
            }
            byte[] data = readSignalFile(dir, e.getKey(), where, declared);
            long available = (data.length - offset) / (2L * frame);
            if (offset > data.length) {
                throw fail(where, "byte offset " + offset + " is beyond the end of " + e.getKey() + " (" + data.length + " bytes)");
            }
            long n = nsamp > 0 ? nsamp : available;
            if (available < n) {
                throw fail(where, e.getKey() + " is truncated: " + available + " samples per signal, header says " + n);
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw fail(where, n + " samples per signal is too many to hold in memory");
            }
            if (nsamp == 0) {
                nsamp = n;
            }
            for (int m = 0; m < frame; m++) {
                short[] d = new short[(int) n];
                int pos = (int) offset + 2 * m;
                for (int k = 0; k < n; k++, pos += 2 * frame) {
                    d[k] = (short) ((data[pos] & 0xff) | (data[pos + 1] << 8));
                }
                digital[members.get(m)] = d;
            }
        }
        List<WfdbSignal> signals = new ArrayList<>(nsig);
        for (int i = 0; i < nsig; i++) {
            Spec s = specs.get(i);
            short[] d = digital[i];
            int sum = 0;
            float[] x = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                sum += d[k];
                x[k] = (float) ((d[k] - s.baseline) / s.gain);
            }
            short checksum = (short) sum;
            if (s.checksum != null && s.checksum != checksum) {
                throw fail(where, "signal " + i + " (" + s.file + "): checksum of the data is " + checksum
                        + " but the header says " + s.checksum + " (corrupt or wrong signal file)");
            }
            int init = s.initialValue != null ? s.initialValue : (d.length > 0 ? d[0] : 0);
            signals.add(new WfdbSignal(s.file, s.format, s.gain, s.baseline, s.units, s.adcResolution, s.adcZero, init,
                    s.checksum != null ? s.checksum : checksum, s.blockSize, s.description, s.byteOffset, x));
        }
        return new WfdbRecord(name, fs, nsamp, signals, comments);
    }

    /** @param declaredBytes what the header says the file holds (at least), or -1 when it does not say */
    private static byte[] readSignalFile(Path dir, String file, String where, long declaredBytes) throws IOException {
        Path plain;
        try {
            plain = dir.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw fail(where, "signal file name '" + file.replace('\0', '?') + "' is not a valid file name (corrupt header)");
        }
        if (!plain.startsWith(dir.normalize())) {
            throw fail(where, "signal file " + file + " is outside the header's folder " + dir + " (refused)");
        }
        if (Files.isRegularFile(plain)) {
            return Files.readAllBytes(plain);
        }
        Path xz = dir.resolve(file + ".xz");
        if (Files.isRegularFile(xz)) {
            long limit = declaredBytes >= 0 ? Math.min(MAX_ARRAY_BYTES, declaredBytes + XZ_SLACK_BYTES) : MAX_UNDECLARED_BYTES;
            try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(xz)), XZ_MEMORY_LIMIT_KIB)) {
                byte[] data = readAtMost(in, limit);
                if (data == null) {
                    throw fail(where, xz.getFileName() + " decompresses to more than " + limit + " bytes but the header "
                            + (declaredBytes >= 0 ? "declares " + declaredBytes + " bytes of samples"
                            : "declares no sample count (limit " + MAX_UNDECLARED_BYTES + " bytes)")
                            + "; refused (corrupt file or compression bomb)");
                }
                return data;
            } catch (IOException e) {
                throw new IOException(where + ": cannot decompress " + xz + ": " + e.getMessage(), e);
            }
        }
        throw fail(where, "signal file " + file + " not found (nor " + file + ".xz) in " + dir);
    }

    /** Reads {@code in} to its end, or returns null as soon as it yields more than {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 20)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > limit) {
                    return null;
                }
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(2L * buf.length, 1 << 20)));
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                return len > limit ? null : java.util.Arrays.copyOf(buf, len);
            }
            len += r;
        }
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

    /** One parsed signal specification line. */
    private static final class Spec {
        String file;
        int format;
        long byteOffset;
        double gain = 200.0;
        int baseline;
        String units = "mV";
        int adcResolution;
        int adcZero;
        Integer initialValue;
        Integer checksum;
        int blockSize;
        String description = "";

        static Spec parse(String line, String where) {
            String[] f = line.split("\\s+", 9);
            if (f.length < 2) {
                throw fail(where, "signal line '" + line + "' needs a file name and a format");
            }
            Spec s = new Spec();
            s.file = f[0];
            if (s.file.contains("/") || s.file.contains("\\") || s.file.equals("..")) {
                throw fail(where, "signal file name '" + s.file + "' must be a plain file name");
            }
            String fmt = f[1];
            int plus = fmt.indexOf('+');
            if (plus >= 0) {
                s.byteOffset = parseLong(fmt.substring(plus + 1), where, "byte offset");
                fmt = fmt.substring(0, plus);
            }
            String fmtNumber = fmt.split("[x:]", -1)[0];
            s.format = parseInt(fmtNumber, where, "format");
            if (!fmtNumber.equals(fmt)) {
                throw fail(where, "format '" + f[1] + "' (samples per frame or skew) is not supported");
            }
            if (s.format != 16) {
                throw fail(where, "format " + s.format + " is not supported (only format 16)");
            }
            if (s.byteOffset < 0) {
                throw fail(where, "negative byte offset " + s.byteOffset);
            }
            boolean baselineGiven = false;
            if (f.length > 2) {
                String g = f[2];
                int slash = g.indexOf('/');
                if (slash >= 0) {
                    s.units = g.substring(slash + 1);
                    g = g.substring(0, slash);
                }
                int paren = g.indexOf('(');
                if (paren >= 0) {
                    if (!g.endsWith(")")) {
                        throw fail(where, "gain '" + f[2] + "' has an unclosed baseline");
                    }
                    s.baseline = parseInt(g.substring(paren + 1, g.length() - 1), where, "baseline");
                    baselineGiven = true;
                    g = g.substring(0, paren);
                }
                double gain = parseDouble(g, where, "ADC gain");
                if (gain < 0) {
                    throw fail(where, "negative ADC gain " + gain);
                }
                s.gain = gain == 0 ? 200.0 : gain;
            }
            s.adcResolution = f.length > 3 ? parseInt(f[3], where, "ADC resolution") : 0;
            if (s.adcResolution == 0) {
                s.adcResolution = 16;
            }
            s.adcZero = f.length > 4 ? parseInt(f[4], where, "ADC zero") : 0;
            if (!baselineGiven) {
                s.baseline = s.adcZero;
            }
            s.initialValue = f.length > 5 ? parseInt(f[5], where, "initial value") : null;
            s.checksum = f.length > 6 ? parseInt(f[6], where, "checksum") : null;
            s.blockSize = f.length > 7 ? parseInt(f[7], where, "block size") : 0;
            s.description = f.length > 8 ? f[8].strip() : "";
            return s;
        }
    }
}
