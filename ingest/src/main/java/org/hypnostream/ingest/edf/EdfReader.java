package org.hypnostream.ingest.edf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads EDF, EDF+C and EDF+D files (European Data Format, Kemp 1992/2003) completely into memory.
 *
 * <p>Digital-to-physical scaling follows EDFlib exactly (see {@link EdfSignal}). Signals may have different
 * sample rates. The "EDF Annotations" signal is parsed into TALs and not returned as a data signal. Any header or
 * size inconsistency throws an {@link EdfFormatException} naming the file and the problem.
 */
public final class EdfReader {
    private static final Logger LOG = LoggerFactory.getLogger(EdfReader.class);
    static final String ANNOTATIONS_LABEL = "EDF Annotations";
    /** Highest sample rate accepted; anything above is a corrupt header, not an amplifier. */
    public static final double MAX_SAMPLE_RATE_HZ = 100_000.0;
    private static final int MAX_SIGNALS = 4096;

    private EdfReader() {
    }

    public static EdfFile read(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        return parse(p.toString(), b);
    }

    /**
     * Parses an EDF/EDF+ file already in memory (an upload, a fuzzing input); {@code name} is used in error messages.
     *
     * @throws EdfFormatException naming {@code name} and the problem, for any malformed input
     */
    public static EdfFile read(byte[] bytes, String name) {
        return parse(name, bytes);
    }

    static EdfFile parse(String name, byte[] b) {
        Header h = new Header(name, b);
        if (b.length < 256) {
            throw h.fail("file has " + b.length + " bytes, shorter than the 256-byte EDF header (truncated)");
        }
        String version = h.ascii(0, 8);
        if (!version.equals("0")) {
            throw h.fail("version field is '" + version + "', expected '0' (not an EDF file or corrupt header)");
        }
        String patient = h.ascii(8, 80);
        String recording = h.ascii(88, 80);
        LocalDateTime start = h.startTime(h.ascii(168, 8), h.ascii(176, 8));
        int headerBytes = h.integer(184, 8, "number of header bytes");
        String reserved = h.ascii(192, 44);
        boolean edfPlus = reserved.startsWith("EDF+C") || reserved.startsWith("EDF+D");
        boolean discontinuous = reserved.startsWith("EDF+D");
        int records = h.integer(236, 8, "number of data records");
        double duration = h.decimal(244, 8, "duration of a data record");
        int ns = h.integer(252, 4, "number of signals");
        if (ns < 1 || ns > MAX_SIGNALS) {
            throw h.fail("number of signals is " + ns + ", expected 1-" + MAX_SIGNALS);
        }
        if (headerBytes != 256 * (ns + 1)) {
            throw h.fail("header size is " + headerBytes + " bytes but " + ns + " signals need " + (256 * (ns + 1))
                    + " (wrong signal count or corrupt header)");
        }
        if (b.length < headerBytes) {
            throw h.fail("file has " + b.length + " bytes, shorter than its " + headerBytes + "-byte header (truncated)");
        }
        if (!(duration >= 0) || duration > 86_400 || Double.isInfinite(duration)) {
            throw h.fail("absurd data record duration " + duration + " s");
        }
        String[] label = new String[ns];
        String[] transducer = new String[ns];
        String[] dim = new String[ns];
        double[] pmin = new double[ns];
        double[] pmax = new double[ns];
        int[] dmin = new int[ns];
        int[] dmax = new int[ns];
        String[] prefilter = new String[ns];
        int[] spr = new int[ns];
        int o = 256;
        for (int i = 0; i < ns; i++) {
            label[i] = h.ascii(o + 16 * i, 16);
        }
        o += 16 * ns;
        for (int i = 0; i < ns; i++) {
            transducer[i] = h.ascii(o + 80 * i, 80);
        }
        o += 80 * ns;
        for (int i = 0; i < ns; i++) {
            dim[i] = h.ascii(o + 8 * i, 8);
        }
        o += 8 * ns;
        for (int i = 0; i < ns; i++) {
            pmin[i] = h.decimal(o + 8 * i, 8, "physical minimum of signal " + i + " (" + label[i] + ")");
        }
        o += 8 * ns;
        for (int i = 0; i < ns; i++) {
            pmax[i] = h.decimal(o + 8 * i, 8, "physical maximum of signal " + i + " (" + label[i] + ")");
        }
        o += 8 * ns;
        for (int i = 0; i < ns; i++) {
            dmin[i] = h.integer(o + 8 * i, 8, "digital minimum of signal " + i + " (" + label[i] + ")");
        }
        o += 8 * ns;
        for (int i = 0; i < ns; i++) {
            dmax[i] = h.integer(o + 8 * i, 8, "digital maximum of signal " + i + " (" + label[i] + ")");
        }
        o += 8 * ns;
        for (int i = 0; i < ns; i++) {
            prefilter[i] = h.ascii(o + 80 * i, 80);
        }
        o += 80 * ns;
        for (int i = 0; i < ns; i++) {
            spr[i] = h.integer(o + 8 * i, 8, "samples per record of signal " + i + " (" + label[i] + ")");
        }
        long recordBytes = 0;
        int annotationSignal = -1;
        for (int i = 0; i < ns; i++) {
            boolean annotation = edfPlus && label[i].equals(ANNOTATIONS_LABEL);
            if (annotation && annotationSignal < 0) {
                annotationSignal = i;
            }
            if (spr[i] < 1) {
                throw h.fail("signal " + i + " (" + label[i] + ") has " + spr[i] + " samples per record");
            }
            if (!annotation) {
                if (duration > 0 && spr[i] / duration > MAX_SAMPLE_RATE_HZ) {
                    throw h.fail("signal " + i + " (" + label[i] + ") has an absurd sample rate of "
                            + (spr[i] / duration) + " Hz");
                }
                if (dmin[i] >= dmax[i] || dmin[i] < -32768 || dmax[i] > 32767) {
                    throw h.fail("signal " + i + " (" + label[i] + ") has digital range " + dmin[i] + ".." + dmax[i]
                            + ", expected min < max within -32768..32767");
                }
                if (pmin[i] == pmax[i] || !Double.isFinite(pmin[i]) || !Double.isFinite(pmax[i])) {
                    throw h.fail("signal " + i + " (" + label[i] + ") has physical range " + pmin[i] + ".." + pmax[i]);
                }
            }
            recordBytes += 2L * spr[i];
        }
        if (duration == 0 && annotationSignal < 0) {
            throw h.fail("data record duration is 0 s but the file has data signals");
        }
        long dataBytes = b.length - (long) headerBytes;
        if (records == -1) {
            records = (int) (dataBytes / recordBytes);
            LOG.warn("{}: number of data records is -1 (recording not closed); using {} from the file size", name, records);
        }
        if (records < 0) {
            throw h.fail("number of data records is " + records);
        }
        long expected = (long) headerBytes + records * recordBytes;
        if (b.length < expected) {
            throw h.fail("truncated: header promises " + records + " records of " + recordBytes + " bytes ("
                    + expected + " bytes in all) but the file has " + b.length + " bytes");
        }
        if (b.length > expected) {
            LOG.warn("{}: {} bytes after the last data record ignored", name, b.length - expected);
        }
        List<EdfSignal> signals = new ArrayList<>();
        long[] signalOffset = new long[ns];
        long off = 0;
        for (int i = 0; i < ns; i++) {
            signalOffset[i] = off;
            off += 2L * spr[i];
        }
        for (int i = 0; i < ns; i++) {
            if (edfPlus && label[i].equals(ANNOTATIONS_LABEL)) {
                continue;
            }
            long total = (long) spr[i] * records;
            if (total > Integer.MAX_VALUE - 8) {
                throw h.fail("signal " + i + " (" + label[i] + ") has " + total + " samples, too many to hold in memory");
            }
            double[] x = new double[(int) total];
            double bitvalue = (pmax[i] - pmin[i]) / (dmax[i] - dmin[i]);
            double offset = pmax[i] / bitvalue - dmax[i];
            int k = 0;
            for (int r = 0; r < records; r++) {
                int pos = (int) (headerBytes + r * recordBytes + signalOffset[i]);
                for (int s = 0; s < spr[i]; s++, pos += 2) {
                    int digital = (short) ((b[pos] & 0xff) | (b[pos + 1] << 8));
                    x[k++] = bitvalue * (offset + digital);
                }
            }
            double rate = duration > 0 ? spr[i] / duration : 0;
            signals.add(new EdfSignal(label[i], transducer[i], dim[i], pmin[i], pmax[i], dmin[i], dmax[i],
                    prefilter[i], spr[i], rate, x));
        }
        List<EdfAnnotation> annotations = new ArrayList<>();
        double[] onsets = new double[records];
        for (int r = 0; r < records; r++) {
            onsets[r] = r * duration;
        }
        if (edfPlus) {
            for (int r = 0; r < records; r++) {
                boolean first = true;
                for (int i = 0; i < ns; i++) {
                    if (!label[i].equals(ANNOTATIONS_LABEL)) {
                        continue;
                    }
                    int pos = (int) (headerBytes + r * recordBytes + signalOffset[i]);
                    Double keeping = Tal.parse(b, pos, 2 * spr[i], annotations, name, r);
                    if (first) {
                        if (keeping == null) {
                            throw h.fail("data record " + r + " has no time-keeping TAL in its first annotation signal");
                        }
                        onsets[r] = keeping;
                        first = false;
                    }
                }
            }
            if (discontinuous) {
                for (int r = 1; r < records; r++) {
                    if (onsets[r] < onsets[r - 1] + duration - 1e-6) {
                        throw h.fail("EDF+D data record " + r + " starts at " + onsets[r]
                                + " s, before the end of record " + (r - 1) + " (" + (onsets[r - 1] + duration) + " s)");
                    }
                }
            }
        }
        return new EdfFile(patient, recording, start, duration, records, edfPlus, discontinuous, signals, annotations, onsets);
    }

    /** Header field access with errors that name the file. */
    private static final class Header {
        private final String name;
        private final byte[] b;

        Header(String name, byte[] b) {
            this.name = name;
            this.b = b;
        }

        EdfFormatException fail(String problem) {
            return new EdfFormatException(name + ": " + problem);
        }

        String ascii(int offset, int len) {
            if (offset + len > b.length) {
                throw fail("header ends at byte " + b.length + ", field at " + offset + " needs " + len + " bytes (truncated)");
            }
            for (int i = offset; i < offset + len; i++) {
                if (b[i] >= 0 && b[i] < 32 || b[i] == 127) {
                    throw fail("header byte " + i + " is a control character (corrupt header)");
                }
            }
            return new String(b, offset, len, StandardCharsets.UTF_8).trim();
        }

        int integer(int offset, int len, String what) {
            String s = ascii(offset, len);
            try {
                return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                throw fail(what + " is '" + s + "', not an integer (corrupt header)");
            }
        }

        double decimal(int offset, int len, String what) {
            String s = ascii(offset, len);
            try {
                double d = Double.parseDouble(s.replace(',', '.'));
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw fail(what + " is '" + s + "', not a number (corrupt header)");
            }
        }

        LocalDateTime startTime(String date, String time) {
            String[] d = date.split("\\.");
            String[] t = time.split("[.:]");
            try {
                if (d.length != 3 || t.length != 3) {
                    throw new NumberFormatException();
                }
                int yy = Integer.parseInt(d[2]);
                int year = yy >= 85 ? 1900 + yy : 2000 + yy;
                return LocalDateTime.of(year, Integer.parseInt(d[1]), Integer.parseInt(d[0]),
                        Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]));
            } catch (NumberFormatException | DateTimeException e) {
                throw fail("start date/time '" + date + " " + time + "' is not dd.mm.yy hh.mm.ss (corrupt header)");
            }
        }
    }
}
