package org.hypnostream.ingest.wfdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>The header is parsed by {@link WfdbHeader} and {@link SignalSpec}, the files found and bounded by
 * {@link SignalFiles}; this class decodes the samples (de-interleaving, checksum, physical units).
 */
public final class WfdbReader {
    public static final double MAX_SAMPLING_FREQUENCY_HZ = 1_000_000.0;
    /** Bytes an .xz signal file may decompress to beyond what its header declares (trailing bytes are ignored). */
    public static final long XZ_SLACK_BYTES = 64 * 1024;
    /** Largest decompressed .xz signal file when the header does not declare the number of samples. */
    public static final long MAX_UNDECLARED_BYTES = 512L << 20;
    /** Memory the xz decoder may use (its dictionary); the N2001 recordings need a few MiB. */
    public static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private WfdbReader() {
    }

    public static WfdbRecord read(Path headerFile) throws IOException {
        WfdbHeader h = WfdbHeader.read(headerFile);
        String where = h.where();
        List<SignalSpec> specs = h.specs();
        int nsig = specs.size();
        long nsamp = h.samplesPerSignal();
        Map<String, List<Integer>> byFile = new LinkedHashMap<>();
        for (int i = 0; i < nsig; i++) {
            byFile.computeIfAbsent(specs.get(i).file, k -> new ArrayList<>()).add(i);
        }
        short[][] digital = new short[nsig][];
        Path dir = headerFile.toAbsolutePath().getParent();
        for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
            List<Integer> members = e.getValue();
            SignalSpec first = specs.get(members.get(0));
            long offset = first.byteOffset;
            int frame = members.size();
            long declared = nsamp > 0 ? offset + nsamp * 2L * frame : -1;
            if (nsamp > 0 && (nsamp > MAX_ARRAY_BYTES / (2L * frame) || declared > MAX_ARRAY_BYTES)) {
                throw WfdbHeader.fail(where, nsamp + " samples per signal x " + frame + " signals in " + e.getKey()
                        + " is too many to hold in memory");
            }
            byte[] data = SignalFiles.read(dir, e.getKey(), where, declared);
            long available = (data.length - offset) / (2L * frame);
            if (offset > data.length) {
                throw WfdbHeader.fail(where, "byte offset " + offset + " is beyond the end of " + e.getKey() + " (" + data.length + " bytes)");
            }
            long n = nsamp > 0 ? nsamp : available;
            if (available < n) {
                throw WfdbHeader.fail(where, e.getKey() + " is truncated: " + available + " samples per signal, header says " + n);
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw WfdbHeader.fail(where, n + " samples per signal is too many to hold in memory");
            }
            if (nsamp == 0) {
                nsamp = n;
            }
            for (int m = 0; m < frame; m++) {
                digital[members.get(m)] = format16(data, offset, frame, m, (int) n);
            }
        }
        List<WfdbSignal> signals = new ArrayList<>(nsig);
        for (int i = 0; i < nsig; i++) {
            signals.add(physical(where, i, specs.get(i), digital[i]));
        }
        return new WfdbRecord(h.name(), h.samplingFrequencyHz(), nsamp, signals, h.comments());
    }

    /** Signal {@code m} of the {@code frame} interleaved in {@code data}: 16-bit little-endian, from {@code offset}. */
    private static short[] format16(byte[] data, long offset, int frame, int m, int n) {
        short[] d = new short[n];
        int pos = (int) offset + 2 * m;
        for (int k = 0; k < n; k++, pos += 2 * frame) {
            d[k] = (short) ((data[pos] & 0xff) | (data[pos + 1] << 8));
        }
        return d;
    }

    /** Signal {@code i} in physical units, its checksum verified when the header gives one. */
    private static WfdbSignal physical(String where, int i, SignalSpec s, short[] d) {
        int sum = 0;
        float[] x = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            sum += d[k];
            x[k] = (float) ((d[k] - s.baseline) / s.gain);
        }
        short checksum = (short) sum;
        if (s.checksum != null && s.checksum != checksum) {
            throw WfdbHeader.fail(where, "signal " + i + " (" + s.file + "): checksum of the data is " + checksum
                    + " but the header says " + s.checksum + " (corrupt or wrong signal file)");
        }
        int init = s.initialValue != null ? s.initialValue : (d.length > 0 ? d[0] : 0);
        return new WfdbSignal(s.file, s.format, s.gain, s.baseline, s.units, s.adcResolution, s.adcZero, init,
                s.checksum != null ? s.checksum : checksum, s.blockSize, s.description, s.byteOffset, x);
    }
}
