package org.hypnostream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.hypnostream.common.event.StateSnapshot;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.StageResult;
import org.hypnostream.inference.stage.StageScorer;
import org.hypnostream.inference.stage.UnscoredRun;
import org.junit.jupiter.api.Test;

/** {@link StageBed}'s state bytes: the format written before it (then {@code StageBedSnapshot}), byte for byte. */
class StageBedTest {
    private static final Instant RAISED = Instant.parse("2026-09-22T01:02:03.456789012Z");
    private static final UnscoredRun RUN = new UnscoredRun(4, 17, "FLAT on Fpz-Cz",
            "bed-7/UNSCORED_PERSISTENT/1700000000000000/17", RAISED);
    private static final byte[] SCORER = {3, 0, 1, 2, (byte) 0xff};
    /** Written by the former {@code StageBedSnapshot.encode} (commit 1695729) for RUN and SCORER. */
    private static final String GOLDEN = "010000000400000000000000110000000e464c4154206f6e2046707a2d437a0000002d6265642d"
            + "372f554e53434f5245445f50455253495354454e542f313730303030303030303030303030302f313701000000006ab1d38b1b3a0c"
            + "140000000503000102ff";
    /** The same for a bed that never had a not-scored epoch and an empty scorer state. */
    private static final String GOLDEN_EMPTY = "01000000000000000000000000ffffffffffffffff0000000000";

    /** Keeps its last epoch index in the first byte of its 5-byte state; refuses other lengths. */
    private static final class ByteScorer implements StageScorer {
        private final boolean snapshots;

        ByteScorer(boolean snapshots) {
            this.snapshots = snapshots;
        }

        record State(long last) implements BedState {
            @Override
            public long lastEpochIndex() {
                return last;
            }
        }

        @Override
        public String modelId() {
            return "byte-stager";
        }

        @Override
        public String modelSha256() {
            return "ab".repeat(32);
        }

        @Override
        public String provider() {
            return "CPU";
        }

        @Override
        public BedState newState() {
            return new State(-1);
        }

        @Override
        public byte[] saveState(BedState state) {
            return snapshots ? new byte[] {(byte) state.lastEpochIndex(), 0, 1, 2, (byte) 0xff} : null;
        }

        @Override
        public BedState loadState(byte[] bytes) {
            if (bytes.length != 5) {
                throw new IllegalArgumentException("byte stager state of " + bytes.length + " bytes");
            }
            return new State(bytes[0]);
        }

        @Override
        public List<StageResult> scoreBatch(List<BedState> states, List<Epoch> epochs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void encodesTheFormerSnapshotFormatByteForByte() {
        assertThat(HexFormat.of().formatHex(StageBed.encode(RUN, SCORER))).isEqualTo(GOLDEN);
        assertThat(HexFormat.of().formatHex(StageBed.encode(UnscoredRun.NONE, new byte[0]))).isEqualTo(GOLDEN_EMPTY);
    }

    @Test
    void decodesAFormerSnapshotIntoTheRunAndTheScorerState() {
        StageBed b = StageBed.decode(HexFormat.of().parseHex(GOLDEN), new ByteScorer(true), 99L);
        assertThat(b.run).isEqualTo(RUN);
        assertThat(b.scorer.lastEpochIndex()).isEqualTo(3);
        assertThat(b.sessionStartMicros).isEqualTo(99L);
    }

    @Test
    void snapshotAndRestoreKeepTheBookkeepingAndCheckTheLastIndex() {
        ByteScorer scorer = new ByteScorer(true);
        StageBed bed = new StageBed(new ByteScorer.State(3), 1_700_000_000_000_000L, RUN);
        bed.partition = 2;
        bed.offset = 4711;
        StateSnapshot s = bed.snapshot("stage", scorer, "bed-7", "eeg-epochs.v1");
        assertThat(s.lastIndex()).isEqualTo(3);
        assertThat(s.inputPartition()).isEqualTo(2);
        assertThat(s.inputOffset()).isEqualTo(4711);
        assertThat(HexFormat.of().formatHex(s.state())).isEqualTo(GOLDEN);

        StageBed back = StageBed.restore(s, scorer);
        assertThat(back.run).isEqualTo(RUN);
        assertThat(back.partition).isEqualTo(2);
        assertThat(back.offset).isEqualTo(4711);
        assertThat(back.sessionStartMicros).isEqualTo(1_700_000_000_000_000L);

        StateSnapshot lying = new StateSnapshot("stage", scorer.modelId(), scorer.modelSha256(), "bed-7",
                s.sessionStartMicros(), 4, s.inputTopic(), 2, 4711, s.state());
        assertThatThrownBy(() -> StageBed.restore(lying, scorer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("state holds epoch 3, snapshot says 4");
        assertThat(new StageBed(new ByteScorer.State(3), 0, RUN).snapshot("stage", new ByteScorer(false), "b", "t"))
                .as("a scorer without snapshots").isNull();
    }

    @Test
    void refusesAnotherVersionTruncatedOrTrailingBytesNeverMisreads() {
        ByteScorer scorer = new ByteScorer(true);
        byte[] good = HexFormat.of().parseHex(GOLDEN);
        byte[] v2 = good.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> StageBed.decode(v2, scorer, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage lane state version 2, expected 1");
        byte[] cut = java.util.Arrays.copyOf(good, 20);
        assertThatThrownBy(() -> StageBed.decode(cut, scorer, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stage lane state");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> StageBed.decode(longer, scorer, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stage lane state: 1 trailing bytes");
        byte[] badScorer = StageBed.encode(RUN, new byte[] {1, 2});
        assertThatThrownBy(() -> StageBed.decode(badScorer, scorer, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("byte stager state of 2 bytes");
    }
}
