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
import java.util.Arrays;
import java.util.Objects;

/**
 * The stage lane's part of a bed's snapshot state: the unscored-run tracking behind UNSCORED_PERSISTENT alerts, and
 * the scorer's own state bytes ({@code StageScorer.saveState}). Binary, version byte 1.
 */
record StageBedSnapshot(int notScoredRun, long runStartIndex, String reason, String activeAlertId,
        Instant alertRaisedAt, byte[] scorerState) {
    private static final byte VERSION = 1;

    StageBedSnapshot {
        Objects.requireNonNull(scorerState, "scorerState");
        if (notScoredRun < 0) {
            throw new IllegalArgumentException("not-scored run " + notScoredRun + " < 0");
        }
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + scorerState.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(notScoredRun);
            out.writeLong(runStartIndex);
            writeString(out, reason);
            writeString(out, activeAlertId);
            out.writeBoolean(alertRaisedAt != null);
            if (alertRaisedAt != null) {
                out.writeLong(alertRaisedAt.getEpochSecond());
                out.writeInt(alertRaisedAt.getNano());
            }
            out.writeInt(scorerState.length);
            out.write(scorerState);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming the problem when the bytes are not a stage-lane state */
    static StageBedSnapshot decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("stage lane state version " + version + ", expected " + VERSION);
            }
            int run = in.readInt();
            long runStart = in.readLong();
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
            return new StageBedSnapshot(run, runStart, reason, alertId, raised, state);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof StageBedSnapshot s && notScoredRun == s.notScoredRun && runStartIndex == s.runStartIndex
                && Objects.equals(reason, s.reason) && Objects.equals(activeAlertId, s.activeAlertId)
                && Objects.equals(alertRaisedAt, s.alertRaisedAt) && Arrays.equals(scorerState, s.scorerState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(notScoredRun, runStartIndex, reason, activeAlertId, alertRaisedAt,
                Arrays.hashCode(scorerState));
    }
}
