package org.hypnostream.ingest.edf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        HeaderFields h = new HeaderFields(name, b);
        MainHeader m = MainHeader.read(h, b.length);
        List<SignalHeader> sig = SignalHeader.readAll(h, m.signals());
        Layout layout = Layout.of(h, m, sig, b.length, name);
        List<EdfSignal> signals = new ArrayList<>();
        for (int i = 0; i < sig.size(); i++) {
            if (!sig.get(i).isAnnotation(m.edfPlus())) {
                signals.add(decode(h, b, m, layout, sig.get(i), i));
            }
        }
        List<EdfAnnotation> annotations = new ArrayList<>();
        double[] onsets = onsets(h, b, m, sig, layout, annotations, name);
        return new EdfFile(m.patient(), m.recording(), m.start(), m.recordSeconds(), layout.records(), m.edfPlus(),
                m.discontinuous(), signals, annotations, onsets);
    }

    /** The 256-byte main header, checked. */
    private record MainHeader(String patient, String recording, LocalDateTime start, int headerBytes, boolean edfPlus,
            boolean discontinuous, int records, double recordSeconds, int signals) {

        static MainHeader read(HeaderFields h, int fileBytes) {
            if (fileBytes < 256) {
                throw h.fail("file has " + fileBytes + " bytes, shorter than the 256-byte EDF header (truncated)");
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
            if (fileBytes < headerBytes) {
                throw h.fail("file has " + fileBytes + " bytes, shorter than its " + headerBytes + "-byte header (truncated)");
            }
            if (!(duration >= 0) || duration > 86_400 || Double.isInfinite(duration)) {
                throw h.fail("absurd data record duration " + duration + " s");
            }
            return new MainHeader(patient, recording, start, headerBytes,
                    reserved.startsWith("EDF+C") || reserved.startsWith("EDF+D"), reserved.startsWith("EDF+D"), records,
                    duration, ns);
        }
    }

    /** Where each signal sits in a data record, and how many records the file really holds. */
    private record Layout(long recordBytes, long[] signalOffset, int records) {

        static Layout of(HeaderFields h, MainHeader m, List<SignalHeader> sig, int fileBytes, String name) {
            long recordBytes = 0;
            long[] signalOffset = new long[sig.size()];
            boolean annotations = false;
            for (int i = 0; i < sig.size(); i++) {
                boolean annotation = sig.get(i).isAnnotation(m.edfPlus());
                annotations |= annotation;
                sig.get(i).check(h, i, m.recordSeconds(), annotation);
                signalOffset[i] = recordBytes;
                recordBytes += 2L * sig.get(i).samplesPerRecord();
            }
            if (m.recordSeconds() == 0 && !annotations) {
                throw h.fail("data record duration is 0 s but the file has data signals");
            }
            int records = m.records();
            if (records == -1) {
                records = (int) ((fileBytes - (long) m.headerBytes()) / recordBytes);
                LOG.warn("{}: number of data records is -1 (recording not closed); using {} from the file size", name,
                        records);
            }
            if (records < 0) {
                throw h.fail("number of data records is " + records);
            }
            long expected = (long) m.headerBytes() + records * recordBytes;
            if (fileBytes < expected) {
                throw h.fail("truncated: header promises " + records + " records of " + recordBytes + " bytes ("
                        + expected + " bytes in all) but the file has " + fileBytes + " bytes");
            }
            if (fileBytes > expected) {
                LOG.warn("{}: {} bytes after the last data record ignored", name, fileBytes - expected);
            }
            return new Layout(recordBytes, signalOffset, records);
        }

        int position(MainHeader m, int record, int signal) {
            return (int) (m.headerBytes() + record * recordBytes + signalOffset[signal]);
        }
    }

    /** One data signal's samples over all records, scaled to physical units as EDFlib does. */
    private static EdfSignal decode(HeaderFields h, byte[] b, MainHeader m, Layout layout, SignalHeader s, int i) {
        long total = (long) s.samplesPerRecord() * layout.records();
        if (total > Integer.MAX_VALUE - 8) {
            throw h.fail("signal " + i + " (" + s.label() + ") has " + total + " samples, too many to hold in memory");
        }
        double[] x = new double[(int) total];
        double bitvalue = (s.physicalMax() - s.physicalMin()) / (s.digitalMax() - s.digitalMin());
        double offset = s.physicalMax() / bitvalue - s.digitalMax();
        int k = 0;
        for (int r = 0; r < layout.records(); r++) {
            int pos = layout.position(m, r, i);
            for (int n = 0; n < s.samplesPerRecord(); n++, pos += 2) {
                int digital = (short) ((b[pos] & 0xff) | (b[pos + 1] << 8));
                x[k++] = bitvalue * (offset + digital);
            }
        }
        double rate = m.recordSeconds() > 0 ? s.samplesPerRecord() / m.recordSeconds() : 0;
        return new EdfSignal(s.label(), s.transducer(), s.dimension(), s.physicalMin(), s.physicalMax(), s.digitalMin(),
                s.digitalMax(), s.prefilter(), s.samplesPerRecord(), rate, x);
    }

    /**
     * Each data record's onset in seconds: its index times the record duration, or for EDF+ the time-keeping TAL of
     * its first annotation signal; collects every TAL into {@code annotations}. EDF+D records must not overlap.
     */
    private static double[] onsets(HeaderFields h, byte[] b, MainHeader m, List<SignalHeader> sig, Layout layout,
            List<EdfAnnotation> annotations, String name) {
        double[] onsets = new double[layout.records()];
        for (int r = 0; r < onsets.length; r++) {
            onsets[r] = r * m.recordSeconds();
        }
        if (!m.edfPlus()) {
            return onsets;
        }
        for (int r = 0; r < onsets.length; r++) {
            boolean first = true;
            for (int i = 0; i < sig.size(); i++) {
                if (!sig.get(i).label().equals(ANNOTATIONS_LABEL)) {
                    continue;
                }
                Double keeping = Tal.parse(b, layout.position(m, r, i), 2 * sig.get(i).samplesPerRecord(), annotations,
                        name, r);
                if (first) {
                    if (keeping == null) {
                        throw h.fail("data record " + r + " has no time-keeping TAL in its first annotation signal");
                    }
                    onsets[r] = keeping;
                    first = false;
                }
            }
        }
        for (int r = 1; m.discontinuous() && r < onsets.length; r++) {
            if (onsets[r] < onsets[r - 1] + m.recordSeconds() - 1e-6) {
                throw h.fail("EDF+D data record " + r + " starts at " + onsets[r] + " s, before the end of record "
                        + (r - 1) + " (" + (onsets[r - 1] + m.recordSeconds()) + " s)");
            }
        }
        return onsets;
    }
}
