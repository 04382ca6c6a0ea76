package org.hypnostream.app.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.BedInfo;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.NeuromuscularEvent;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.wire.BlockFormatException;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.ingest.edf.EdfFormatException;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.wfdb.WfdbFormatException;
import org.hypnostream.ingest.wfdb.WfdbReader;

/**
 * The fuzz targets, shared by the Jazzer {@code @FuzzTest}s and the seeded mutation test. Each feeds arbitrary bytes
 * to one parser and lets only its documented exception escape as "refused"; anything else (an NPE, an
 * IndexOutOfBounds, an OutOfMemoryError, a StackOverflowError) propagates and fails the run.
 */
final class FuzzTargets {
    static final List<Class<?>> EVENT_TYPES = List.of(StageEvent.class, LegMovementEvent.class, PlmEvent.class,
            NeuromuscularEvent.class, Alert.class, AlertAction.class, BedInfo.class, DeadLetter.class);

    private FuzzTargets() {
    }

    /** Decodes a sample block; a block that decodes must survive an encode/decode round trip unchanged. */
    static void sampleBlock(byte[] in) {
        SampleBlock b;
        try {
            b = SampleBlockCodec.decode(in);
        } catch (BlockFormatException refused) {
            return;
        }
        SampleBlock again = SampleBlockCodec.decode(SampleBlockCodec.encode(b));
        if (!again.equals(b)) {
            throw new AssertionError("round trip changed block " + b.sourceId() + "#" + b.seq());
        }
    }

    static void windows(byte[] in) {
        try {
            WindowCodecs.decodeEpoch(in);
        } catch (BlockFormatException refused) {
            // documented
        }
        try {
            WindowCodecs.decodeLegWindow(in);
        } catch (BlockFormatException refused) {
            // documented
        }
        try {
            WindowCodecs.decodeEmgSegment(in);
        } catch (BlockFormatException refused) {
            // documented
        }
    }

    static void edf(byte[] in) {
        try {
            EdfReader.read(in, "fuzz.edf");
        } catch (EdfFormatException refused) {
            // documented
        }
    }

    /**
     * The first byte (mod 200) + 1 is the header length: header text, then the signal file "s.bin" (format 16 or
     * 212 named by the header itself), written to {@code dir} and read through the real file-based reader.
     */
    static void wfdb(byte[] in, Path dir) throws IOException {
        int split = in.length == 0 ? 0 : Math.min(in.length - 1, (in[0] & 0xff) % 200 + 1);
        byte[] header = in.length == 0 ? in : Arrays.copyOfRange(in, 1, split + 1);
        byte[] data = Arrays.copyOfRange(in, Math.min(in.length, split + 1), in.length);
        Files.write(dir.resolve("r.hea"), header);
        Files.write(dir.resolve("s.bin"), data);
        try {
            WfdbReader.read(dir.resolve("r.hea"));
        } catch (WfdbFormatException refused) {
            // documented
        } catch (java.nio.charset.CharacterCodingException | java.nio.file.NoSuchFileException refused) {
            // documented (read throws IOException): a non-UTF-8 header, a header naming a file that is not there
        }
    }

    static void jsonEvents(byte[] in) {
        for (Class<?> type : EVENT_TYPES) {
            try {
                JsonCodec.fromBytes(in, type);
            } catch (IllegalArgumentException refused) {
                // documented
            }
        }
    }
}
