package org.hypnostream.inference.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.hypnostream.common.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzReaderTest {

    @Test
    void readsARealNightWithItsDocumentedLayout() throws Exception {
        Map<String, NpzReader.NpyArray> a = NpzReader.read(SharedData.data("sleep-edf-sc-features", "SC4001.npz"));
        assertThat(a.keySet()).contains("features", "present", "stage", "rk", "onset_s", "pos_exact", "welch_rel");
        int n = a.get("stage").shape()[0];
        assertThat(a.get("features").dtype()).isEqualTo("<f4");
        assertThat(a.get("features").shape()).containsExactly(n, 105);
        assertThat(a.get("welch_rel").shape()).containsExactly(n, 3, 5);
        assertThat(a.get("stage").dtype()).isEqualTo("|i1");
        assertThat(a.get("present").dtype()).isEqualTo("|b1");
        for (int i = 0; i < n; i++) {
            boolean finite = java.util.Arrays.stream(a.get("features").row(i)).allMatch(Double::isFinite);
            assertThat(finite).as("row " + i).isEqualTo(a.get("present").values()[i] == 1.0);
            assertThat(a.get("onset_s").values()[i]).isEqualTo(30.0 * i);
            assertThat(a.get("stage").values()[i]).isBetween(-1.0, 4.0);
        }
    }

    @Test
    void parsesHandWrittenArraysAndRefusesBadOnes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("d.npy"));
            z.write(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", 8,
                    b -> b.putDouble(1.5).putDouble(-2).putDouble(Double.NaN).putDouble(1e300)));
            z.putNextEntry(new ZipEntry("i.npy"));
            z.write(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", 8,
                    b -> b.putLong(-7).putLong(0).putLong(1L << 40)));
        }
        Map<String, NpzReader.NpyArray> a = NpzReader.read(f);
        assertThat(a.get("d").shape()).containsExactly(2, 2);
        assertThat(a.get("d").values()).containsExactly(1.5, -2, Double.NaN, 1e300);
        assertThat(a.get("i").values()).containsExactly(-7, 0, (double) (1L << 40));

        Path bad = dir.resolve("bad.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bad))) {
            z.putNextEntry(new ZipEntry("c.npy"));
            z.write(npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 16, b -> b.putLong(0).putLong(0)));
        }
        assertThatThrownBy(() -> NpzReader.read(bad)).hasMessageContaining("bad.npz").hasMessageContaining("array c")
                .hasMessageContaining("<c16");
        Path fortran = dir.resolve("fortran.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(fortran))) {
            z.putNextEntry(new ZipEntry("m.npy"));
            z.write(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", 4, b -> b.putFloat(1)));
        }
        assertThatThrownBy(() -> NpzReader.read(fortran)).hasMessageContaining("Fortran");
        Path truncated = dir.resolve("short.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(truncated))) {
            z.putNextEntry(new ZipEntry("t.npy"));
            z.write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", 4, b -> b.putFloat(1)));
        }
        assertThatThrownBy(() -> NpzReader.read(truncated)).hasMessageContaining("truncated");
        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> NpzReader.read(notZip)).hasMessageContaining("plain.npz");
    }

    private static byte[] npy(String header, int dataBytes, java.util.function.Consumer<ByteBuffer> data) {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + hb.length + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) hb.length).put(hb);
        data.accept(b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }
}
