package org.hypnostream.stream.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A timeline's stored form (ADR 0017): a head with the partial chunk, full chunks written once, trimmed ones deleted. */
class TimelineChunksTest {
    private static final int C = Timeline.CHUNK_SAMPLES;

    private static byte[] save(Timeline t, MemoryChunks chunks) {
        StateWrites w = new StateWrites(0);
        byte[] head = StateBytes.of(out -> t.write(out, w, "k"));
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
        byte[] head = save(t, chunks);
        long fullEnd = (5100 / C) * C;
        assertThat(chunks.puts()).isEqualTo((int) (fullEnd / C));
        assertThat(head).hasSize(8 + 8 + 4 + (int) (5100 - fullEnd) * 4);
        Timeline back = read(head, chunks);
        assertThat(back.base()).isEqualTo(100);
        assertThat(back.end()).isEqualTo(5100);
        assertThat(back.copy(100, 5000)).isEqualTo(t.copy(100, 5000));

        fill(t, 5100, 5110); // no chunk filled: only the head is written again
        int puts = chunks.puts();
        byte[] again = save(t, chunks);
        assertThat(chunks.puts()).isEqualTo(puts);
        assertThat(read(again, chunks).copy(100, 5010)).isEqualTo(t.copy(100, 5010));

        fill(t, 5110, 5110 + C); // one chunk filled: written once
        save(t, chunks);
        assertThat(chunks.puts()).isEqualTo(puts + 1);
    }

    @Test
    void chunksWhollyBeforeTheBaseAreDeletedOnceAndTheRestReadsBack() throws IOException {
        Timeline t = new Timeline(0);
        fill(t, 0, 10 * C + 17);
        MemoryChunks chunks = new MemoryChunks();
        save(t, chunks);
        assertThat(chunks.size()).isEqualTo(10);
        t.trimBefore(3 * C + 5); // chunks 0-2 no longer needed, chunk 3 still is
        byte[] head = save(t, chunks);
        assertThat(chunks.deletes()).isEqualTo(3);
        assertThat(chunks.size()).isEqualTo(7);
        Timeline back = read(head, chunks);
        assertThat(back.base()).isEqualTo(3 * C + 5);
        assertThat(back.copy(3 * C + 5, 7 * C + 12)).isEqualTo(t.copy(3 * C + 5, 7 * C + 12));
        save(t, chunks);
        assertThat(chunks.deletes()).isEqualTo(3);

        StateWrites gone = new StateWrites(0);
        back.release(gone, "k");
        chunks.apply(gone);
        assertThat(chunks.size()).isZero();
    }

    @Test
    void aMissingOrForeignChunkIsAnErrorNotAMisread() {
        Timeline t = new Timeline(0);
        fill(t, 0, 3 * C);
        MemoryChunks chunks = new MemoryChunks();
        byte[] head = save(t, chunks);
        StateWrites drop = new StateWrites(0);
        drop.deleteChunk("k#1");
        chunks.apply(drop);
        assertThatThrownBy(() -> read(head, chunks)).isInstanceOf(IOException.class).hasMessageContaining("k#1 is missing");
        StateWrites foreign = new StateWrites(0);
        foreign.putChunk("k#1", new byte[] {2, 0, 0, 0, 0});
        chunks.apply(foreign);
        assertThatThrownBy(() -> read(head, chunks)).isInstanceOf(IOException.class).hasMessageContaining("k#1 is not a version 1");
    }
}
