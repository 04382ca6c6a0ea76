package org.hypnostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.stream.emg.EmgSegmenter;
import org.hypnostream.stream.epoch.EpochAssembler;
import org.hypnostream.stream.legs.LegWindowAssembler;
import org.junit.jupiter.api.Test;

/**
 * The spine's state layout (docs/adr/0017-spine-state-layout.md): heads plus immutable sample chunks. A restart
 * anywhere gives the same windows byte for byte, the bytes a block writes do not grow with the open window, and
 * state written by the version-1 layout (every buffered sample inline) is migrated, never misread.
 */
class SpineStateLayoutTest {
    private static final SpineConfig CONFIG = SpineConfig.defaults();
    private static final List<SampleBlock> BLOCKS = SpineMontage.blocks(100);
    /** Written by main at 1695729 (BedSpine.state, layout version 1) after the first 103 blocks of SpineMontage. */
    private static final String V1_FIXTURE = "/spine-state-v1/bed-7-after-103-blocks.txt";
    private static final int V1_CUT = 103;

    /** Serialised windows in emission order, as they reach the output topics. */
    private static final class Windows {
        final MessageDigest md;
        int count;

        Windows() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(SpineResult r) {
            r.epochs().forEach(e -> md.update(Topics.EEG_EPOCHS.valueSerde().serializer().serialize("t", e)));
            r.legWindows().forEach(e -> md.update(Topics.LEG_WINDOWS.valueSerde().serializer().serialize("t", e)));
            r.segments().forEach(e -> md.update(Topics.EMG_SEGMENTS.valueSerde().serializer().serialize("t", e)));
            count += r.epochs().size() + r.legWindows().size() + r.segments().size();
        }

        String sha256() {
            return HexFormat.of().formatHex(md.digest());
        }
    }

    private static BedSpine fresh() {
        return new BedSpine(SpineMontage.BED, TestBlocks.SESSION, CONFIG);
    }

    /** Every block through one spine, saving after each block as the topology does; then the session's flush. */
    private static String uninterrupted() {
        Windows w = new Windows();
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        for (SampleBlock b : BLOCKS) {
            w.add(spine.accept(b));
            store.save(spine);
        }
        w.add(spine.flush());
        return w.count + " " + w.sha256();
    }

    /** As {@link #uninterrupted()}, but the spine is thrown away after block {@code restartAfter} (and every block
     *  when it is -1) and restored from the stores. */
    private static String restarted(int restartAfter) {
        Windows w = new Windows();
        FakeSpineStore store = new FakeSpineStore();
        BedSpine spine = fresh();
        for (int i = 0; i < BLOCKS.size(); i++) {
            w.add(spine.accept(BLOCKS.get(i)));
            store.save(spine);
            if (i == restartAfter || restartAfter == -1) {
                spine = store.restore(SpineMontage.BED, CONFIG);
            }
        }
        w.add(spine.flush());
        return w.count + " " + w.sha256();
    }

    private static String[] fixture() throws IOException {
        try (InputStream in = SpineStateLayoutTest.class.getResourceAsStream(V1_FIXTURE)) {
            assertThat(in).as(V1_FIXTURE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
        }
    }

    @Test
    void windowsAreByteIdenticalToThoseOfTheVersionOneSpine() throws IOException {
        String[] f = fixture();
        assertThat(uninterrupted()).isEqualTo(f[4].substring("windows ".length()) + " " + f[5].substring("sha256 ".length()));
    }

    /** Per block: the serialised windows it emitted (hex), with a restart after block {@code restartAfter}. */
    private static List<String> perBlock(int restartAfter, int blocks) {
        List<String> out = new ArrayList<>();
        FakeSpineStore store = new FakeSpineStore();
        BedSpine spine = fresh();
        for (int i = 0; i < blocks; i++) {
            Windows w = new Windows();
            w.add(spine.accept(BLOCKS.get(i)));
            out.add(w.count + " " + w.sha256());
            store.save(spine);
            if (i == restartAfter) {
                spine = store.restore(SpineMontage.BED, CONFIG);
            }
        }
        return out;
    }

    @Test
    void aRestartBetweenAnyTwoBlocksGivesByteIdenticalWindows() {
        String straight = uninterrupted();
        assertThat(straight).startsWith("22 ");
        assertThat(restarted(-1)).as("restart after every block").isEqualTo(straight);
        assertThat(restarted(BLOCKS.size() / 2 + 7)).as("one restart mid-epoch").isEqualTo(straight);
        // a restart after each block of the first 65 s (two epoch boundaries, leg windows every 12 s, EMG segments
        // every 11.7 s, 1-KiB chunk boundaries at every phase), each compared over the 35 s after it
        int horizon = 70;
        List<String> reference = perBlock(-2, 130 + horizon);
        int emitting = 0;
        for (int k = 0; k < 130; k++) {
            List<String> resumed = perBlock(k, k + 1 + horizon);
            assertThat(resumed.subList(k + 1, k + 1 + horizon)).as("windows after a restart after block %d", k)
                    .isEqualTo(reference.subList(k + 1, k + 1 + horizon));
        }
        for (String r : reference) {
            emitting += r.startsWith("0 ") ? 0 : 1;
        }
        assertThat(emitting).as("blocks that emitted windows in the compared range").isGreaterThan(10);
    }

    @Test
    void bytesWrittenPerBlockDoNotGrowWithTheBlocksAlreadyInTheOpenEpoch() {
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        long[] perSecond = new long[BLOCKS.size() / 2];
        for (int i = 0; i < BLOCKS.size(); i++) {
            spine.accept(BLOCKS.get(i));
            perSecond[i / 2] += store.save(spine);
        }
        // epochs 1 and 2 (seconds 30-89): the first 10 blocks of an epoch against its last 10
        long early = 0;
        long late = 0;
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int s = 0; s < 10; s++) {
                early += perSecond[epoch * 30 + s];
                late += perSecond[epoch * 30 + 20 + s];
            }
        }
        // the version-1 layout rewrote the open epoch's samples every block: its late blocks wrote ~20 s more samples
        // of 3 channels at 100 Hz (+24 KB each) than its early ones; now the difference is a chunk's worth at most
        assertThat(late / 20.0).as("mean bytes per second, last 10 blocks of an epoch (first 10: %s)", early / 20.0)
                .isLessThan(early / 20.0 + 2048);
        long max = 0;
        for (int s = 5; s < perSecond.length; s++) {
            max = Math.max(max, perSecond[s]);
        }
        // a second of samples is 1.2 kB (EEG/EOG at 100 Hz) + 1.6 kB (legs at 200 Hz) + 8 kB (needle at 2 kHz); the
        // heads hold at most one partial 1-KiB chunk per channel beside filter history and flags
        assertThat(max).as("most value bytes written in one second").isLessThan(32 * 1024);
        // chunks are deleted once their windows are emitted: what is stored stays about one open window per track
        assertThat(store.chunks.size()).isLessThan(200);
    }

    @Test
    void versionOneStateIsMigratedAndGivesTheSameWindows() throws IOException {
        String[] f = fixture();
        byte[][] parts = new byte[4][];
        for (int p = 0; p < 4; p++) {
            assertThat(f[p]).startsWith(p + " ");
            parts[p] = Base64.getDecoder().decode(f[p].substring(2));
        }
        assertThat(parts[BedSpine.EPOCHS][0]).isEqualTo((byte) 1);
        assertThat(parts[BedSpine.LEGS][0]).isEqualTo((byte) 1);
        assertThat(parts[BedSpine.EMG][0]).isEqualTo((byte) 2);
        FakeSpineStore store = new FakeSpineStore();
        System.arraycopy(parts, 0, store.parts, 0, 4);

        Windows w = new Windows();
        BedSpine spine = fresh();
        for (int i = 0; i < V1_CUT; i++) {
            w.add(spine.accept(BLOCKS.get(i))); // the windows the old spine emitted before it stopped
        }
        spine = store.restore(SpineMontage.BED, CONFIG);
        assertThat(spine.dirty(BedSpine.EPOCHS)).isTrue();
        assertThat(spine.dirty(BedSpine.LEGS)).isTrue();
        assertThat(spine.dirty(BedSpine.EMG)).isTrue();
        assertThat(spine.dirty(BedSpine.SOURCES)).isFalse();
        for (int i = V1_CUT; i < BLOCKS.size(); i++) {
            w.add(spine.accept(BLOCKS.get(i)));
            store.save(spine);
            if (i == V1_CUT) {
                assertThat(store.parts[BedSpine.EPOCHS][0]).isEqualTo((byte) EpochAssembler.STATE_VERSION);
                assertThat(store.parts[BedSpine.LEGS][0]).isEqualTo((byte) LegWindowAssembler.STATE_VERSION);
                assertThat(store.parts[BedSpine.EMG][0]).isEqualTo((byte) EmgSegmenter.STATE_VERSION);
                assertThat(store.chunks.size()).isPositive();
                spine = store.restore(SpineMontage.BED, CONFIG); // and the migrated state reads back
            }
        }
        w.add(spine.flush());
        assertThat(w.count + " " + w.sha256()).isEqualTo(uninterrupted());
    }

    @Test
    void anUnknownLayoutVersionOrAMissingChunkIsRefusedNotMisread() {
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        for (int i = 0; i < 80; i++) {
            spine.accept(BLOCKS.get(i));
            store.save(spine);
        }
        assertThat(spine.epochs().nextEpoch()).isEqualTo(1);
        assertThat(store.restore(SpineMontage.BED, CONFIG).epochs().nextEpoch()).isEqualTo(1);

        FakeSpineStore future = new FakeSpineStore();
        System.arraycopy(store.parts, 0, future.parts, 0, 4);
        store.chunks.all().forEach((k, v) -> future.chunks.apply(single(k, v)));
        future.parts[BedSpine.EPOCHS] = future.parts[BedSpine.EPOCHS].clone();
        future.parts[BedSpine.EPOCHS][0] = 9;
        BedSpine refused = future.restore(SpineMontage.BED, CONFIG);
        assertThat(refused.epochs().nextEpoch()).as("epochs start afresh").isZero();
        assertThat(refused.dirty(BedSpine.EPOCHS)).isTrue();
        assertThat(refused.legs().binding(org.hypnostream.common.event.LegSide.LEFT)).isEqualTo("amp/psg/Left Leg");

        FakeSpineStore missing = new FakeSpineStore();
        System.arraycopy(store.parts, 0, missing.parts, 0, 4);
        List<String> keys = new ArrayList<>(store.chunks.all().keySet());
        keys.stream().filter(k -> !k.contains("/e0#")).forEach(k -> missing.chunks.apply(single(k, store.chunks.get(k))));
        BedSpine noChunk = missing.restore(SpineMontage.BED, CONFIG);
        assertThat(noChunk.epochs().nextEpoch()).as("an epoch state without its chunks starts afresh").isZero();
        assertThat(noChunk.legs().binding(org.hypnostream.common.event.LegSide.LEFT)).isEqualTo("amp/psg/Left Leg");
    }

    @Test
    void chunksOfEmittedWindowsClosedRecordingsAndAnEndedSessionAreDeleted() {
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        for (SampleBlock b : BLOCKS) {
            spine.accept(b);
            store.save(spine);
        }
        String bed = BedSpine.chunkKey(SpineMontage.BED);
        // open windows only: the epoch track holds < 30 s at 100 Hz (< 12 chunks), the legs < 4801 + 2400 samples
        assertThat(store.chunks.all().keySet()).allMatch(k -> k.startsWith(bed));
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "e0#"))).hasSizeLessThan(12);
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "l0#"))).hasSizeLessThan(29);
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "mneedle-1/0#"))).isNotEmpty();
        assertThat(store.chunks.deletes()).isPositive();

        long now = BLOCKS.get(BLOCKS.size() - 1).receiveTimeMicros() + 60_000_000;
        assertThat(spine.closeIdleEmg(now, 5_000_000)).hasSize(1);
        store.save(spine);
        assertThat(store.chunks.all().keySet()).noneMatch(k -> k.startsWith(bed + "m"));
        assertThat(store.restore(SpineMontage.BED, CONFIG).legs().binding(org.hypnostream.common.event.LegSide.RIGHT))
                .isEqualTo("amp/psg/Right Leg");

        SampleBlock next = BLOCKS.get(0);
        SampleBlock newSession = new SampleBlock(next.bedId(), next.sourceId(), 0, next.sessionStartMicros() + 3_600_000_000L,
                next.deviceTimeMicros() + 3_600_000_000L, next.receiveTimeMicros() + 3_600_000_000L, next.sampleRateHz(),
                next.channels(), next.samples());
        SpineResult flushed = spine.accept(newSession);
        assertThat(flushed.epochs()).isNotEmpty();
        store.save(spine);
        // one 1-s block of the new session fills no 256-sample chunk at 100 or 200 Hz; every old chunk is gone
        assertThat(store.chunks.size()).isZero();
        BedSpine back = store.restore(SpineMontage.BED, CONFIG);
        assertThat(back.sessionStartMicros()).isEqualTo(newSession.sessionStartMicros());
        assertThat(back.epochs().nextEpoch()).isZero();
    }

    private static org.hypnostream.stream.signal.StateWrites single(String key, byte[] value) {
        org.hypnostream.stream.signal.StateWrites w = new org.hypnostream.stream.signal.StateWrites(0);
        w.putChunk(key, value);
        return w;
    }
}
