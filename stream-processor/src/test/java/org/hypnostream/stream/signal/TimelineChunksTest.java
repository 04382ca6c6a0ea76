package org.hypnostream.stream.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A timeline's stored form (ADR 0026): a head with the partial chunk, full chunks written once into a bounded ring of
 * slot keys and overwritten in place (never deleted while the timeline lives), each slot value carrying its chunk
 * index so that a stale slot is refused, never misread.
 */
class TimelineChunksTest {
    private static final int C = Timeline.CHUNK_SAMPLES;

    private static byte[] save(Timeline t, MemoryChunks chunks, int minSlots) {
        StateWrites w = new StateWrites(0);
        byte[] head = StateBytes.of(out -> t.write(out, w, "k", minSlots));
        chunks.apply(w);
        return head;
    }

    private static Timeline read(byte[] head, MemoryChunks chunks) throws IOException {
        return Timeline.read(new DataInputStream(new ByteArrayInputStream(head)), chunks, "k");
    }

    private static void fill(Timeline t, long from, long to) {
        for (long i = from; i < to; i++) {
            t.put(i, i * 0.25f - 3);
        }
    }

    @Test
    void fullChunksAreWrittenOnceAndTheHeadHoldsOnlyThePartialChunk() throws IOException {
        Timeline t = new Timeline(100); // not chunk-aligned: chunk 0 holds NaN below 100
        fill(t, 100, 5100);
        MemoryChunks chunks = new MemoryChunks();
        byte[] head = save(t, chunks, 30);
        long fullEnd = (5100 / C) * C;
        assertThat(chunks.puts()).isEqualTo((int) (fullEnd / C));
        assertThat(head).hasSize(8 + 8 + 4 + 4 + 4 + (int) (5100 - fullEnd) * 4);
        assertThat(chunks.all().keySet()).allMatch(k -> k.startsWith("k@"));
        Timeline back = read(head, chunks);
        assertThat(back.base()).isEqualTo(100);
        assertThat(back.end()).isEqualTo(5100);
        assertThat(back.copy(100, 5000)).isEqualTo(t.copy(100, 5000));

        fill(t, 5100, 5110); // no chunk filled: only the head is written again
        int puts = chunks.puts();
        byte[] again = save(t, chunks, 30);
        assertThat(chunks.puts()).isEqualTo(puts);
        assertThat(read(again, chunks).copy(100, 5010)).isEqualTo(t.copy(100, 5010));

        fill(t, 5110, 5110 + C); // one chunk filled: written once
        save(t, chunks, 30);
        assertThat(chunks.puts()).isEqualTo(puts + 1);
    }

    @Test
    void theRingWrapsAroundOverwritingTrimmedChunksInPlaceWithoutDeletes() throws IOException {
        Timeline t = new Timeline(0);
        MemoryChunks chunks = new MemoryChunks();
        int slots = 5;
        long end = 0;
        // a window of 2 chunks kept, 100 samples a step, for 60 chunks: the ring of 5 slots goes round 12 times
        while (end < 60L * C) {
            fill(t, end, end + 100);
            end += 100;
            t.trimBefore(Math.max(0, end - 2 * C));
            byte[] head = save(t, chunks, slots);
            assertThat(chunks.size()).as("keys stored after sample %d", end).isLessThanOrEqualTo(slots);
            Timeline back = read(head, chunks);
            assertThat(back.base()).isEqualTo(t.base());
            assertThat(back.copy(t.base(), (int) (end - t.base()))).isEqualTo(t.copy(t.base(), (int) (end - t.base())));
        }
        assertThat(chunks.deletes()).as("a slot is overwritten, never deleted").isZero();
        assertThat(chunks.puts()).as("each full chunk written once").isEqualTo((int) (end / C));
        assertThat(chunks.size()).isEqualTo(slots);

        StateWrites gone = new StateWrites(0);
        t.release(gone, "k");
        chunks.apply(gone);
        assertThat(chunks.size()).as("a released timeline deletes every slot it used").isZero();
        assertThat(chunks.deletes()).isEqualTo(slots);
    }

    @Test
    void aStaleSlotIsRefusedNotMisread() throws IOException {
        Timeline t = new Timeline(0);
        MemoryChunks chunks = new MemoryChunks();
        fill(t, 0, 3 * C + 10);
        byte[] old = save(t, chunks, 3); // chunks 0, 1, 2 in slots 0, 1, 2
        t.trimBefore(3 * C);
        fill(t, 3 * C + 10, 4 * C + 10);
        save(t, chunks, 3); // chunk 3 overwrites slot 0
        assertThatThrownBy(() -> read(old, chunks)).isInstanceOf(IOException.class)
                .hasMessageContaining("k@0 holds chunk 3, not 0 (stale)");
    }

    @Test
    void aChannelFarAheadGrowsItsRingAndEveryBufferedChunkReadsBack() throws IOException {
        Timeline t = new Timeline(0);
        MemoryChunks chunks = new MemoryChunks();
        fill(t, 0, 2 * C);
        save(t, chunks, 3);
        fill(t, 2 * C, 7 * C + 5); // 7 full chunks buffered, none trimmed: more than the 3 slots
        byte[] head = save(t, chunks, 3);
        Timeline back = read(head, chunks);
        assertThat(back.copy(0, 7 * C + 5)).isEqualTo(t.copy(0, 7 * C + 5));
        assertThat(chunks.puts()).as("2 chunks, then all 7 again in the grown ring").isEqualTo(2 + 7);
        t.trimBefore(2 * C); // as a cut does: 6 chunks buffered once the 8th is full, within the grown ring
        fill(t, 7 * C + 5, 8 * C);
        head = save(t, chunks, 3);
        assertThat(chunks.puts()).isEqualTo(2 + 7 + 1);
        assertThat(read(head, chunks).copy(2 * C, 6 * C)).isEqualTo(t.copy(2 * C, 6 * C));
    }

    @Test
    void aMissingOrCorruptChunkIsAnErrorNotAMisread() {
        Timeline t = new Timeline(0);
        fill(t, 0, 3 * C);
        MemoryChunks chunks = new MemoryChunks();
        byte[] head = save(t, chunks, 4);
        StateWrites drop = new StateWrites(0);
        drop.deleteChunk("k@1");
        chunks.apply(drop);
        assertThatThrownBy(() -> read(head, chunks)).isInstanceOf(IOException.class).hasMessageContaining("k@1 is empty");
        StateWrites foreign = new StateWrites(0);
        foreign.putChunk("k@1", new byte[] {2, 0, 0, 0, 0});
        chunks.apply(foreign);
        assertThatThrownBy(() -> read(head, chunks)).isInstanceOf(IOException.class)
                .hasMessageContaining("k@1 does not hold a version 2 chunk");
        byte[] oldVersion = new byte[Timeline.CHUNK_BYTES];
        oldVersion[0] = 1;
        StateWrites older = new StateWrites(0);
        older.putChunk("k@1", oldVersion);
        chunks.apply(older);
        assertThatThrownBy(() -> read(head, chunks)).isInstanceOf(IOException.class)
                .hasMessageContaining("k@1 does not hold a version 2 chunk");
    }
}
