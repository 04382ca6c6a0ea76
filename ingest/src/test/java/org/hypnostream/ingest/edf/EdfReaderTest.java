package org.hypnostream.ingest.edf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.hypnostream.common.data.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfReaderTest {
    static final Path PSG = SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf");
    static final Path HYPNOGRAM = SharedData.data("snippets", "edfio_SC4001EC-Hypnogram.edf");
    static final Path NOX = SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf");

    @TempDir
    Path tmp;

    @Test
    void sleepEdfSnippetMatchesEdflibScalingBitForBit() throws IOException {
        EdfFile f = EdfReader.read(PSG);
        assertThat(f.edfPlus()).isFalse();
        assertThat(f.startTime()).isEqualTo(LocalDateTime.of(1989, 4, 24, 16, 13, 0));
        assertThat(f.recordCount()).isEqualTo(10);
        assertThat(f.recordDurationSeconds()).isEqualTo(30.0);
        assertThat(f.signals()).extracting(EdfSignal::label).containsExactly("EEG Fpz-Cz", "EEG Pz-Oz",
                "EOG horizontal", "Resp oro-nasal", "EMG submental", "Temp rectal", "Event marker");
        EdfSignal fpz = f.signal("EEG Fpz-Cz");
        assertThat(fpz.sampleRateHz()).isEqualTo(100.0);
        assertThat(fpz.physical()).hasSize(30_000);
        assertThat(Arrays.copyOf(fpz.physical(), 3)).containsExactly(5.016849816849817, -2.578754578754579, 1.3597069597069598);
        assertThat(Arrays.copyOf(f.signal("EEG Pz-Oz").physical(), 3))
                .containsExactly(-2.4673992673992777, 1.4673992673992573, -4.098901098901109);
        assertThat(Arrays.copyOf(f.signal("EOG horizontal").physical(), 3))
                .containsExactly(16.50866910866911, 16.015873015873016, 9.609523809523811);
        assertThat(f.signal("Temp rectal").sampleRateHz()).isEqualTo(1.0);
        assertThat(f.signal("Temp rectal").physical()).hasSize(300);
        assertThat(f.recordOnsetsSeconds()).containsExactly(0, 30, 60, 90, 120, 150, 180, 210, 240, 270);
        assertThat(fpz.microvolts()).isEqualTo(fpz.physical());
    }

    @Test
    void hypnogramHas154TalsWithTheDocumentedStageCounts() throws IOException {
        EdfFile f = EdfReader.read(HYPNOGRAM);
        assertThat(f.edfPlus()).isTrue();
        assertThat(f.discontinuous()).isFalse();
        assertThat(f.signals()).isEmpty();
        assertThat(f.annotations()).hasSize(154);
        Map<String, Integer> epochs = new TreeMap<>();
        for (EdfAnnotation a : f.annotations()) {
            assertThat(a.durationSeconds() % 30).isZero();
            epochs.merge(a.text(), (int) (a.durationSeconds() / 30), Integer::sum);
        }
        assertThat(epochs).containsExactlyInAnyOrderEntriesOf(Map.of("Sleep stage W", 1997, "Sleep stage 1", 58,
                "Sleep stage 2", 250, "Sleep stage 3", 101, "Sleep stage 4", 119, "Sleep stage R", 125, "Sleep stage ?", 230));
        assertThat(f.annotations().get(0)).isEqualTo(new EdfAnnotation(0, 30630, "Sleep stage W"));
        for (int i = 1; i < f.annotations().size(); i++) {
            EdfAnnotation prev = f.annotations().get(i - 1);
            assertThat(f.annotations().get(i).onsetSeconds()).isEqualTo(prev.onsetSeconds() + prev.durationSeconds());
        }
    }

    @Test
    void noxFileHas90SignalsWithLegEmgAt200HzInVolts() throws IOException {
        EdfFile f = EdfReader.read(NOX);
        assertThat(f.edfPlus()).isTrue();
        // 90 signals in the header: 89 data signals + the "EDF Annotations" signal
        assertThat(f.signals()).hasSize(89);
        assertThat(f.signals()).noneMatch(s -> s.label().equals("EDF Annotations"));
        assertThat(f.recordCount()).isEqualTo(12);
        assertThat(f.recordDurationSeconds()).isEqualTo(10.0);
        for (String leg : new String[] {"Left Leg", "Right Leg"}) {
            EdfSignal s = f.signal(leg);
            assertThat(s).as(leg).isNotNull();
            assertThat(s.sampleRateHz()).isEqualTo(200.0);
            assertThat(s.physicalDimension()).isEqualTo("V");
            assertThat(s.physical()).hasSize(24_000);
            double[] uv = s.microvolts();
            for (int i = 0; i < uv.length; i++) {
                assertThat(uv[i]).isEqualTo(s.physical()[i] * 1e6);
            }
            double mean = Arrays.stream(uv).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(uv).map(x -> (x - mean) * (x - mean)).average().orElseThrow());
            assertThat(sd).as("leg EMG standard deviation in uV (plausible only after V -> uV)").isBetween(1.0, 2000.0);
        }
        assertThat(f.signals()).extracting(EdfSignal::sampleRateHz).contains(200.0, 25.0, 3.0, 20.0, 1.0, 75.0, 100.0);
        for (int r = 0; r < 12; r++) {
            assertThat(f.recordOnsetsSeconds()[r]).isEqualTo(10.0 * r);
        }
    }

    @Test
    void everySnippetFileParses() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(PSG.getParent(), "*.edf")) {
            for (Path p : files) {
                EdfFile f = EdfReader.read(p);
                assertThat(f.recordCount()).as(p.toString()).isPositive();
                for (EdfSignal s : f.signals()) {
                    assertThat(s.physical()).hasSize(s.samplesPerRecord() * f.recordCount());
                    assertThat(Arrays.stream(s.physical()).allMatch(Double::isFinite)).isTrue();
                }
                n++;
            }
        }
        assertThat(n).isEqualTo(3);
    }

    @Test
    void truncatedFileIsRejectedNamingTheFile() throws IOException {
        byte[] all = Files.readAllBytes(PSG);
        Path cut = tmp.resolve("cut.edf");
        Files.write(cut, Arrays.copyOf(all, all.length - 1000));
        assertThatThrownBy(() -> EdfReader.read(cut)).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("cut.edf").hasMessageContaining("truncated");
        Path header = tmp.resolve("header-only.edf");
        Files.write(header, Arrays.copyOf(all, 300));
        assertThatThrownBy(() -> EdfReader.read(header)).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("header-only.edf").hasMessageContaining("truncated");
    }

    @Test
    void corruptHeadersAreRejectedWithTheProblem() throws IOException {
        assertThatThrownBy(() -> EdfReader.read(patched(236, "ten     "))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("number of data records").hasMessageContaining("ten");
        assertThatThrownBy(() -> EdfReader.read(patched(252, "8   "))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("wrong signal count");
        assertThatThrownBy(() -> EdfReader.read(patched(0, "X       "))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("version");
        // samples per record of signal 0 (offset 256 + 7 * 216) = 3000 -> 99999999 per 30 s: absurd rate
        assertThatThrownBy(() -> EdfReader.read(patched(256 + 7 * 216, "99999999"))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("absurd sample rate");
        // digital max of signal 0 (offset 256 + 7 * 128) = digital min
        assertThatThrownBy(() -> EdfReader.read(patched(256 + 7 * 128, "-2048   "))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("EEG Fpz-Cz").hasMessageContaining("digital range");
        assertThatThrownBy(() -> EdfReader.read(patched(168, "32.13.89"))).isInstanceOf(EdfFormatException.class)
                .hasMessageContaining("start date");
    }

    @Test
    void discontinuousEdfPlusTakesRecordOnsetsFromTals() throws IOException {
        Path p = tmp.resolve("d.edf");
        Files.write(p, EdfFixtures.edfPlusD(new double[] {0, 1, 5}, 4));
        EdfFile f = EdfReader.read(p);
        assertThat(f.discontinuous()).isTrue();
        assertThat(f.recordOnsetsSeconds()).containsExactly(0, 1, 5);
        assertThat(f.signals()).hasSize(1);
        assertThat(f.signal("EEG X").physical()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(f.annotations()).containsExactly(new EdfAnnotation(5.5, 0.25, "marker"));
    }

    private Path patched(int offset, String ascii) throws IOException {
        byte[] all = Files.readAllBytes(PSG);
        byte[] a = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(a, 0, all, offset, a.length);
        Path p = tmp.resolve("patched-" + offset + ".edf");
        Files.write(p, all);
        return p;
    }
}
