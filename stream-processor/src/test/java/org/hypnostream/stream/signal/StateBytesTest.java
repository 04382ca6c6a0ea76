package org.hypnostream.stream.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The reused per-thread buffer: each value is its own array, nested writes and large values stay correct. */
class StateBytesTest {

    private static byte[] plain(StateBytes.Writer w) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        w.write(out);
        out.flush();
        return b.toByteArray();
    }

    @Test
    void successiveValuesAreIndependentArrays() throws IOException {
        byte[] first = StateBytes.of(out -> out.writeLong(42));
        byte[] second = StateBytes.of(out -> out.writeInt(7));
        assertThat(first).isEqualTo(plain(out -> out.writeLong(42)));
        assertThat(second).isEqualTo(plain(out -> out.writeInt(7))).hasSize(4);
    }

    @Test
    void aWriterThatWritesAnInnerValueGetsBothRight() throws IOException {
        byte[][] inner = new byte[1][];
        byte[] outer = StateBytes.of(out -> {
            out.writeInt(1);
            inner[0] = StateBytes.of(in -> in.writeUTF("inner"));
            out.write(inner[0]);
            out.writeInt(2);
        });
        byte[] innerPlain = plain(in -> in.writeUTF("inner"));
        assertThat(inner[0]).isEqualTo(innerPlain);
        assertThat(outer).isEqualTo(plain(out -> {
            out.writeInt(1);
            out.write(innerPlain);
            out.writeInt(2);
        }));
    }

    @Test
    void aValueLargerThanTheKeptBufferIsWholeAndTheNextIsRight() throws IOException {
        byte[] big = new byte[StateBytes.KEPT_BYTES + 10];
        big[big.length - 1] = 9;
        assertThat(StateBytes.of(out -> out.write(big))).isEqualTo(big);
        assertThat(StateBytes.of(out -> out.writeShort(3))).isEqualTo(plain(out -> out.writeShort(3)));
    }
}
