package org.hypnostream.inference.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.inference.stage.StageScorer;
import org.hypnostream.inference.stage.UnscoredRun;

/**
 * One bed's stage-lane state, the one type for it: the scorer's causal state (opaque, {@link StageScorer.BedState};
 * it holds the last epoch index), the bed's session, where its input stands (partition, offset; the snapshot
 * bookkeeping) and its run of not-scored epochs ({@link UnscoredRun}); with its one codec to and from the state
 * bytes of its {@link StateSnapshot} on {@code inference-state.v1}.
 *
 * <p>State bytes (big-endian, ADR 0011; unchanged since the first snapshots): version byte 1, run length (int), run
 * start index (long), reason and alert id (int length + UTF-8, -1 = null), alert-raised flag (+ epoch seconds long,
 * nanos int), scorer state length (int) + the scorer's bytes ({@code StageScorer.saveState}). Another version, a
 * truncated or oversized field and trailing bytes are refused with the reason, never misread.
 */
final class StageBed {
    private static final byte VERSION = 1;

    final StageScorer.BedState scorer;
    final long sessionStartMicros;
    int partition;
    long offset;
    UnscoredRun run;

    StageBed(StageScorer.BedState scorer, long sessionStartMicros, UnscoredRun run) {
        this.scorer = scorer;
        this.sessionStartMicros = sessionStartMicros;
        this.run = run;
    }

    /** This bed's snapshot, or null when the scorer keeps no snapshots (its beds are rebuilt from the look-back). */
    StateSnapshot snapshot(String lane, StageScorer s, String bedId, String inputTopic) {
        byte[] scorerState = s.saveState(scorer);
        if (scorerState == null) {
            return null;
        }
        return new StateSnapshot(lane, s.modelId(), s.modelSha256(), bedId, sessionStartMicros,
                scorer.lastEpochIndex(), inputTopic, partition, offset, encode(run, scorerState));
    }

    /**
     * The bed a snapshot of this scorer's model build holds.
     *
     * @throws IllegalArgumentException naming the problem when the bytes are not a stage-lane state of this scorer
     */
    static StageBed restore(StateSnapshot s, StageScorer scorer) {
        StageBed b = decode(s.state(), scorer, s.sessionStartMicros());
        if (b.scorer.lastEpochIndex() != s.lastIndex()) {
            throw new IllegalArgumentException("state holds epoch " + b.scorer.lastEpochIndex() + ", snapshot says "
                    + s.lastIndex());
        }
        b.partition = s.inputPartition();
        b.offset = s.inputOffset();
        return b;
    }

    static byte[] encode(UnscoredRun run, byte[] scorerState) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + scorerState.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(run.length());
            out.writeLong(run.startIndex());
            writeString(out, run.reason());
            writeString(out, run.activeAlertId());
            out.writeBoolean(run.alertRaisedAt() != null);
            if (run.alertRaisedAt() != null) {
                out.writeLong(run.alertRaisedAt().getEpochSecond());
                out.writeInt(run.alertRaisedAt().getNano());
            }
            out.writeInt(scorerState.length);
            out.write(scorerState);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming the problem when the bytes are not a stage-lane state of this scorer */
    static StageBed decode(byte[] bytes, StageScorer scorer, long sessionStartMicros) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("stage lane state version " + version + ", expected " + VERSION);
            }
            int length = in.readInt();
            long start = in.readLong();
            String reason = readString(in);
            String alertId = readString(in);
            Instant raised = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            int n = in.readInt();
            if (n < 0 || n > in.available()) {
                throw new IllegalArgumentException("stage lane state: scorer state of " + n + " bytes, "
                        + in.available() + " left");
            }
            byte[] state = in.readNBytes(n);
            if (in.available() > 0) {
                throw new IllegalArgumentException("stage lane state: " + in.available() + " trailing bytes");
            }
            UnscoredRun run = new UnscoredRun(length, start, reason, alertId, raised);
            return new StageBed(scorer.loadState(state), sessionStartMicros, run);
        } catch (EOFException e) {
            throw new IllegalArgumentException("stage lane state truncated (" + bytes.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("stage lane state: string of " + n + " bytes, " + in.available()
                    + " left");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
