package org.hypnostream.ingest.wfdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hypnostream.common.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

class WfdbReaderTest {
    static final Path DIR = SharedData.data("emglab-n2001");

    @TempDir
    Path tmp;

    @Test
    void readsSeveralN2001RecordsFromXz() throws IOException {
        for (String name : List.of("N2001A01BB01", "N2001C01BB52", "N2001M07BB22", "N2001A06BB08")) {
            WfdbRecord r = WfdbReader.read(DIR.resolve(name + ".hea"));
            assertThat(r.name()).isEqualTo(name);
            assertThat(r.samplingFrequencyHz()).isEqualTo(23437.5);
            assertThat(r.samplesPerSignal()).isEqualTo(262_124);
            assertThat(r.signals()).hasSize(1);
            WfdbSignal s = r.signals().get(0);
            assertThat(s.format()).isEqualTo(16);
            assertThat(s.byteOffset()).isEqualTo(20);
            assertThat(s.adcGain()).isEqualTo(13.107);
            assertThat(s.units()).isEqualTo("uV");
            assertThat(s.physical()).hasSize(262_124);
            assertThat(r.comment("diagnosis")).isNotBlank();
        }
        WfdbRecord a = WfdbReader.read(DIR.resolve("N2001A01BB01.hea"));
        // first digital samples 1890, 1905, 1897 (read independently with numpy from the .bin after the 20-byte prefix)
        assertThat(a.signals().get(0).physical()[0]).isEqualTo((float) (1890 / 13.107));
        assertThat(a.signals().get(0).physical()[2]).isEqualTo((float) (1897 / 13.107));
        assertThat(a.comment("diagnosis")).isEqualTo("ALS");
        // checksum as WFDB defines it (16-bit sum of the 262124 samples), computed independently with numpy
        assertThat(a.signals().get(0).checksum()).isEqualTo(18788);
        assertThat(WfdbReader.read(DIR.resolve("N2001C01BB52.hea")).signals().get(0).checksum()).isEqualTo(7964);
    }

    @Test
    void headerChecksumIsVerifiedAgainstTheDataPlainOrXz() throws IOException {
        Path plain = tmp.resolve("N2001A01BB01.bin");
        try (InputStream in = new XZInputStream(Files.newInputStream(DIR.resolve("N2001A01BB01.bin.xz")))) {
            Files.write(plain, in.readAllBytes());
        }
        Files.writeString(tmp.resolve("good.hea"), "good 1 23437.5 262124\nN2001A01BB01.bin 16+20 13.1070/uV 16 0 1890 18788 0 needle\n");
        WfdbRecord good = WfdbReader.read(tmp.resolve("good.hea"));
        assertThat(good.signals().get(0).description()).isEqualTo("needle");
        assertThat(good.signals().get(0).initialValue()).isEqualTo(1890);
        assertThat(good.signals().get(0).physical()).isEqualTo(WfdbReader.read(DIR.resolve("N2001A01BB01.hea")).signals().get(0).physical());
        Files.writeString(tmp.resolve("bad.hea"), "bad 1 23437.5 262124\nN2001A01BB01.bin 16+20 13.1070/uV 16 0 1890 18789 0 needle\n");
        assertThatThrownBy(() -> WfdbReader.read(tmp.resolve("bad.hea"))).isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("bad.hea").hasMessageContaining("checksum");
    }

    @Test
    void badHeadersAndTruncatedDataAreRejectedWithTheProblem() throws IOException {
        Path data = tmp.resolve("x.bin");
        Files.write(data, new byte[20 + 2 * 100]);
        assertThatThrownBy(() -> read("x 1 23437.5 262124\nx.bin 16+20 13.1070/uV\n")).isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read("x 1 1e12 100\nx.bin 16+20 13.1070/uV\n")).hasMessageContaining("absurd sampling frequency");
        assertThatThrownBy(() -> read("x 2 1000 100\nx.bin 16+20 13.1070/uV\n")).hasMessageContaining("wrong channel count");
        assertThatThrownBy(() -> read("x 1 1000 100\nx.bin 212 200\n")).hasMessageContaining("format 212 is not supported");
        assertThatThrownBy(() -> read("x one 1000\n")).hasMessageContaining("signal count 'one'");
        assertThatThrownBy(() -> read("x 1 1000 100\nmissing.bin 16 200\n")).hasMessageContaining("missing.bin not found");
        assertThatThrownBy(() -> read("")).hasMessageContaining("no record line");
        WfdbRecord ok = read("x 1 1000 100\nx.bin 16+20 200(10)/mV\n");
        assertThat(ok.signals().get(0).baseline()).isEqualTo(10);
        float[] expected = new float[100];
        Arrays.fill(expected, (float) (-10 / 200.0));
        assertThat(ok.signals().get(0).physical()).containsExactly(expected);
    }

    /**
     * A compression bomb: 1 000 declared samples (2 000 bytes) but an .xz that inflates to 32 MiB of zeros (a few KiB
     * on disk), built here with the xz library. Refused with the limit named, after reading at most the limit + 1.
     */
    @Test
    void anXzThatInflatesBeyondTheDeclaredSamplesIsRefused() throws IOException {
        long inflated = 32L << 20;
        Path bomb = tmp.resolve("bomb.bin.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(bomb), new LZMA2Options(0))) {
            byte[] zeros = new byte[1 << 20];
            for (long w = 0; w < inflated; w += zeros.length) {
                out.write(zeros);
            }
        }
        Files.writeString(tmp.resolve("bomb.hea"), "bomb 1 1000 1000\nbomb.bin 16 200/mV\n");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> WfdbReader.read(tmp.resolve("bomb.hea"))).isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("bomb.bin.xz decompresses to more than " + (2000 + WfdbReader.XZ_SLACK_BYTES) + " bytes")
                .hasMessageContaining("declares 2000 bytes").hasMessageContaining("compression bomb");
        System.out.printf("wfdb xz bomb: %d bytes on disk inflating to %d refused at %d bytes in %d ms%n", Files.size(bomb),
                inflated, 2000 + WfdbReader.XZ_SLACK_BYTES, (System.nanoTime() - t0) / 1_000_000);

        // the same record with exactly the declared data still reads
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(tmp.resolve("fine.bin.xz")), new LZMA2Options(0))) {
            out.write(new byte[2000]);
        }
        Files.writeString(tmp.resolve("fine.hea"), "fine 1 1000 1000\nfine.bin 16 200/mV\n");
        assertThat(WfdbReader.read(tmp.resolve("fine.hea")).signals().get(0).physical()).hasSize(1000);
        // a header declaring more than an array can hold is refused before anything is decompressed
        Files.writeString(tmp.resolve("huge.hea"), "huge 2 1000 2000000000\nfine.bin 16 200/mV\nfine.bin 16 200/mV\n");
        assertThatThrownBy(() -> WfdbReader.read(tmp.resolve("huge.hea"))).isInstanceOf(WfdbFormatException.class)
                .hasMessageContaining("too many to hold in memory");
    }

    private WfdbRecord read(String header) throws IOException {
        Path h = tmp.resolve("x.hea");
        Files.writeString(h, header);
        return WfdbReader.read(h);
    }
}
