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
 * The spine's state layout (docs/adr/0026-spine-chunk-ring-and-one-head-per-bed.md, after ADR 0017): one head per bed
 * plus sample chunks in a bounded ring of keys per channel. A restart anywhere gives the same windows byte for byte,
 * the bytes a block writes do not grow with the open window, a block writes one head record plus the chunks it
 * filled, and state written by the older layouts (ADR 0017's per-part heads and {@code #<chunk>} keys, and the
 * version-1 layout with every buffered sample inline) is migrated, never misread.
 */
class SpineStateLayoutTest {
    private static final SpineConfig CONFIG = SpineConfig.defaults();
    private static final List<SampleBlock> BLOCKS = SpineMontage.blocks(100);
    /** Written by main at 1695729 (BedSpine.state, layout version 1) after the first 103 blocks of SpineMontage. */
    private static final String V1_FIXTURE = "/spine-state-v1/bed-7-after-103-blocks.txt";
    private static final int V1_CUT = 103;
    /**
     * Written by main at a77de8e (ADR 0017's layout: the four stores' values, lines "0".."3", and every chunk, lines
     * "c key value", as its {@code SpineBlockHandler} stored them) after the first 117 blocks of SpineMontage.
     */
    private static final String V2_FIXTURE = "/spine-state-v2/bed-7-after-117-blocks.txt";
    private static final int V2_CUT = 117;

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
        assertThat(spine.dirty(BedSpine.SOURCES)).as("the sources move into the bed's one head").isTrue();
        for (int i = V1_CUT; i < BLOCKS.size(); i++) {
            w.add(spine.accept(BLOCKS.get(i)));
            store.save(spine);
            if (i == V1_CUT) {
                assertCurrentLayout(store);
                assertThat(store.chunks.size()).isPositive();
                spine = store.restore(SpineMontage.BED, CONFIG); // and the migrated state reads back
            }
        }
        w.add(spine.flush());
        assertThat(w.count + " " + w.sha256()).isEqualTo(uninterrupted());
    }

    /** The head store holds a current head with current parts; the older layout's part stores are emptied. */
    private static void assertCurrentLayout(FakeSpineStore store) throws IOException {
        assertThat(store.parts[BedSpine.SOURCES][0]).isEqualTo((byte) BedSpine.STATE_VERSION);
        byte[][] sections = BedSpine.sections(store.parts[BedSpine.SOURCES]);
        assertThat(sections[BedSpine.EPOCHS][0]).isEqualTo((byte) EpochAssembler.STATE_VERSION);
        assertThat(sections[BedSpine.LEGS][0]).isEqualTo((byte) LegWindowAssembler.STATE_VERSION);
        assertThat(sections[BedSpine.EMG][0]).isEqualTo((byte) EmgSegmenter.STATE_VERSION);
        assertThat(store.parts[BedSpine.EPOCHS]).isNull();
        assertThat(store.parts[BedSpine.LEGS]).isNull();
        assertThat(store.parts[BedSpine.EMG]).isNull();
    }

    @Test
    void mainsLayoutWithChunkKeysIsMigratedAndGivesTheSameWindows() throws IOException {
        FakeSpineStore store = new FakeSpineStore();
        int legacyChunks = 0;
        try (InputStream in = SpineStateLayoutTest.class.getResourceAsStream(V2_FIXTURE)) {
            assertThat(in).as(V2_FIXTURE).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("c")) {
                    store.chunks.apply(single(f[1], Base64.getDecoder().decode(f[2])));
                    legacyChunks++;
                } else {
                    store.parts[Integer.parseInt(f[0])] = Base64.getDecoder().decode(f[1]);
                }
            }
        }
        assertThat(store.parts[BedSpine.SOURCES][0]).isEqualTo((byte) 1);
        assertThat(store.parts[BedSpine.EPOCHS][0]).isEqualTo((byte) 2);
        assertThat(store.parts[BedSpine.LEGS][0]).isEqualTo((byte) 2);
        assertThat(store.parts[BedSpine.EMG][0]).isEqualTo((byte) 3);
        assertThat(legacyChunks).isGreaterThan(100);
        assertThat(store.chunks.all().keySet()).allMatch(k -> k.contains("#"));

        Windows w = new Windows();
        BedSpine spine = fresh();
        for (int i = 0; i < V2_CUT; i++) {
            w.add(spine.accept(BLOCKS.get(i))); // the windows main's spine emitted before it stopped
        }
        spine = store.restore(SpineMontage.BED, CONFIG);
        for (int p = 0; p < 4; p++) {
            assertThat(spine.dirty(p)).as("part %d is rewritten at the next save", p).isTrue();
        }
        for (int i = V2_CUT; i < BLOCKS.size(); i++) {
            w.add(spine.accept(BLOCKS.get(i)));
            store.save(spine);
            if (i == V2_CUT) {
                assertCurrentLayout(store);
                // every chunk of main's layout is deleted by that first save: no garbage left behind
                assertThat(store.chunks.all().keySet()).noneMatch(k -> k.contains("#")).allMatch(k -> k.contains("@"));
                spine = store.restore(SpineMontage.BED, CONFIG); // and the migrated state reads back
            }
        }
        w.add(spine.flush());
        assertThat(w.count + " " + w.sha256()).isEqualTo(uninterrupted());
    }

    @Test
    void aBlockWritesOneHeadRecordAndTheChunksItFilled() {
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        int records = 0;
        int heads = 0;
        int deletes = 0;
        for (SampleBlock b : BLOCKS) {
            spine.accept(b);
            org.hypnostream.stream.signal.StateWrites w = spine.changes();
            records += w.records();
            heads += w.part(BedSpine.SOURCES) == null ? 0 : 1;
            for (int p = 1; p < 4; p++) {
                assertThat(w.part(p)).isNull();
                assertThat(w.deleted(p)).isFalse();
            }
            for (byte[] v : w.chunks().values()) {
                deletes += v == null ? 1 : 0;
            }
            store.parts[BedSpine.SOURCES] = w.part(BedSpine.SOURCES);
            store.chunks.apply(w);
        }
        // 200 blocks of 100 s: 100 s x (3 epoch channels x 100 Hz + 2 legs x 200 Hz + needle 2 kHz) = 270,000 samples,
        // 1,054 full chunks of 256 once the open windows' partial chunks are left out; ADR 0017's layout wrote about
        // 12.5 records per block here (a head per part touched plus each chunk's put and later tombstone)
        assertThat(heads).as("one head per block").isEqualTo(BLOCKS.size());
        assertThat(deletes).as("chunks are overwritten in place while their track lives").isZero();
        assertThat(records).as("records for %d blocks", BLOCKS.size()).isLessThanOrEqualTo(BLOCKS.size() + 1060);
        assertThat(records / (double) BLOCKS.size()).isLessThan(6.3);
    }

    @Test
    void anUnknownLayoutVersionOrAMissingChunkIsRefusedNotMisread() throws IOException {
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
        future.parts[BedSpine.SOURCES] = withPartVersion(store.parts[BedSpine.SOURCES], BedSpine.EPOCHS, 9);
        BedSpine refused = future.restore(SpineMontage.BED, CONFIG);
        assertThat(refused.epochs().nextEpoch()).as("epochs start afresh").isZero();
        assertThat(refused.dirty(BedSpine.EPOCHS)).isTrue();
        assertThat(refused.legs().binding(org.hypnostream.common.event.LegSide.LEFT)).isEqualTo("amp/psg/Left Leg");

        FakeSpineStore unknownHead = new FakeSpineStore();
        unknownHead.parts[BedSpine.SOURCES] = store.parts[BedSpine.SOURCES].clone();
        unknownHead.parts[BedSpine.SOURCES][0] = 9;
        assertThat(unknownHead.restore(SpineMontage.BED, CONFIG)).as("an unknown head version: the bed starts afresh").isNull();

        // a chunk slot overwritten by a later chunk (a head older than its chunks, which one transaction never
        // stores): the part is refused, the others restore
        FakeSpineStore stale = new FakeSpineStore();
        System.arraycopy(store.parts, 0, stale.parts, 0, 4);
        store.chunks.all().forEach((k, v) -> stale.chunks.apply(single(k, v)));
        String slot = store.chunks.all().keySet().stream().filter(k -> k.contains("/l0@")).sorted().findFirst().orElseThrow();
        byte[] moved = store.chunks.get(slot).clone();
        moved[8] ^= 1; // the chunk index's lowest byte
        stale.chunks.apply(single(slot, moved));
        BedSpine staleLegs = stale.restore(SpineMontage.BED, CONFIG);
        assertThat(staleLegs.legs().binding(org.hypnostream.common.event.LegSide.LEFT)).as("legs start afresh").isNull();
        assertThat(staleLegs.epochs().nextEpoch()).isEqualTo(1);

        FakeSpineStore missing = new FakeSpineStore();
        System.arraycopy(store.parts, 0, missing.parts, 0, 4);
        List<String> keys = new ArrayList<>(store.chunks.all().keySet());
        keys.stream().filter(k -> !k.contains("/e0@")).forEach(k -> missing.chunks.apply(single(k, store.chunks.get(k))));
        BedSpine noChunk = missing.restore(SpineMontage.BED, CONFIG);
        assertThat(noChunk.epochs().nextEpoch()).as("an epoch state without its chunks starts afresh").isZero();
        assertThat(noChunk.legs().binding(org.hypnostream.common.event.LegSide.LEFT)).isEqualTo("amp/psg/Left Leg");
    }

    @Test
    void theRingBoundsTheStoredChunksAndClosedRecordingsAndAnEndedSessionDeleteTheirs() {
        BedSpine spine = fresh();
        FakeSpineStore store = new FakeSpineStore();
        for (SampleBlock b : BLOCKS) {
            spine.accept(b);
            store.save(spine);
        }
        String bed = BedSpine.chunkKey(SpineMontage.BED);
        // a ring per track sized for one window: 3000 samples (12 chunks) + 2 for an epoch channel, 4801 (19) + 2 for a
        // leg, 23436 (92) + 2 for the needle; no deletes while the tracks live
        assertThat(store.chunks.all().keySet()).allMatch(k -> k.startsWith(bed));
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "e0@"))).hasSize(14);
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "l0@"))).hasSize(21);
        assertThat(store.chunks.all().keySet().stream().filter(k -> k.startsWith(bed + "mneedle-1/0@"))).hasSizeBetween(1, 94);
        assertThat(store.chunks.deletes()).isZero();

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

    /** The head with part {@code part}'s version byte replaced. */
    private static byte[] withPartVersion(byte[] head, int part, int version) throws IOException {
        byte[] section = BedSpine.sections(head)[part];
        byte[] out = head.clone();
        for (int i = 0; i + section.length <= head.length; i++) {
            if (java.util.Arrays.equals(head, i, i + section.length, section, 0, section.length)) {
                out[i] = (byte) version;
                return out;
            }
        }
        throw new AssertionError("part " + part + " not found in the head");
    }

    private static org.hypnostream.stream.signal.StateWrites single(String key, byte[] value) {
        org.hypnostream.stream.signal.StateWrites w = new org.hypnostream.stream.signal.StateWrites(0);
        w.putChunk(key, value);
        return w;
    }
}
