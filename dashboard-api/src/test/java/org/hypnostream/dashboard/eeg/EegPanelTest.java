package org.hypnostream.dashboard.eeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EegPanelTest {
    private static EegFrame frame(long i) {
        return new EegFrame("bed-1", i, Instant.EPOCH.plusSeconds(30 * i), "C4", List.of(new EegFrame.Trace("C4", 50, new float[1500])),
                new float[][] {{1f, 2f}}, 2, 0.25, Set.of());
    }

    @Test
    void onlyTheNewestFrameKeepsItsTracesAndHistoryStaysBounded() {
        EegPanel p = new EegPanel();
        for (long i = 0; i < EegPanel.KEEP_EPOCHS + 5; i++) {
            assertThat(p.add(frame(i))).isTrue();
            assertThat(p.liveJson(frame(i)).containsKey("latest")).as("epoch %d is the newest", i).isTrue();
        }
        var h = p.historyJson("bed-1").orElseThrow();
        assertThat(h.getJsonArray("spectra")).hasSize(EegPanel.KEEP_EPOCHS);
        assertThat(h.getJsonObject("latest").getLong("i")).isEqualTo(EegPanel.KEEP_EPOCHS + 4L);
        assertThat(h.getJsonObject("latest").getJsonArray("traces")).hasSize(1);
        // a late, older frame is kept for its spectrogram but is not the newest
        assertThat(p.add(frame(EegPanel.KEEP_EPOCHS + 3L))).isFalse(); // already known
        assertThat(p.add(frame(2))).isFalse(); // older than everything kept
    }

    @Test
    void aLateOlderFrameIsKeptWithoutTracesAndTheNewestKeepsThem() {
        EegPanel p = new EegPanel();
        p.add(frame(5));
        assertThat(p.add(frame(3))).isTrue();
        assertThat(p.liveJson(frame(3)).containsKey("latest")).isFalse();
        var h = p.historyJson("bed-1").orElseThrow();
        assertThat(h.getJsonArray("spectra")).hasSize(2);
        assertThat(h.getJsonObject("latest").getLong("i")).isEqualTo(5L);
        assertThat(h.getJsonObject("latest").getJsonArray("traces")).hasSize(1);
    }

    @Test
    void framesWithoutTracesKeepTheirSpectrogram() {
        EegFrame f = frame(1).withoutTraces();
        assertThat(f.traces()).isEmpty();
        assertThat(f.columns()).isDeepEqualTo(new float[][] {{1f, 2f}});
        assertThat(f).isEqualTo(frame(1));
    }

    @Test
    void keptSpectrogramsAreTheJsonOfTheFramesTheyCameFrom() {
        java.util.Random r = new java.util.Random(19);
        EegPanel p = new EegPanel();
        List<EegFrame> frames = new java.util.ArrayList<>();
        for (long i = 0; i < 5; i++) {
            float[][] cols = new float[14][121];
            for (float[] col : cols) {
                for (int k = 0; k < col.length; k++) {
                    col[k] = (float) (r.nextGaussian() * 30 - 20); // dB, as MultitaperSpectrogram makes them
                }
            }
            // values that round half-way, the bounds of what a finite power gives, and what is shown as null
            cols[0][0] = 12.25f;
            cols[0][1] = -12.25f;
            cols[0][2] = -120f;
            cols[0][3] = 3079.9f;
            cols[0][4] = Float.NaN;
            cols[0][5] = Float.NEGATIVE_INFINITY;
            cols[0][6] = -0.04f;
            EegFrame f = new EegFrame("bed-1", i, Instant.EPOCH.plusSeconds(30 * i), "C4",
                    List.of(new EegFrame.Trace("C4", 50, new float[] {(float) i})), cols, 2, 0.25, Set.of());
            frames.add(f);
            assertThat(p.add(f)).isTrue();
        }
        var h = p.historyJson("bed-1").orElseThrow();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(h.getJsonArray("spectra").getJsonObject(i)).isEqualTo(frames.get(i).spectrumJson());
            assertThat(KeptSpectrum.of(frames.get(i)).json().encode()).isEqualTo(frames.get(i).spectrumJson().encode());
        }
        assertThat(h.getJsonObject("latest")).isEqualTo(frames.get(4).tracesJson());
        assertThat(h.getJsonArray("spectra").getJsonObject(0).getJsonArray("columns").getJsonArray(0).getValue(4)).isNull();
    }

    @Test
    void realEegSpectrogramsAreKeptToTheTenthOfADbInAboutOneByteAValue() throws Exception {
        EegPanel p = new EegPanel();
        List<EegFrame> frames = new java.util.ArrayList<>();
        for (org.hypnostream.common.wire.Epoch e : SnippetEeg.epochs("bed-real")) {
            EegFrame f = EegFrame.from(e);
            frames.add(f);
            assertThat(p.add(f)).isTrue();
            KeptSpectrum k = KeptSpectrum.of(f);
            assertThat(k.json().encode()).isEqualTo(f.spectrumJson().encode());
            int values = f.columns().length * f.columns()[0].length;
            // a count, not a timing: delta-coded tenths of a dB take less than the shorts they replace
            assertThat(k.packedBytes()).as("epoch %d: %d values", e.index(), values).isLessThan(2 * values);
        }
        var h = p.historyJson("bed-real").orElseThrow();
        for (int i = 0; i < frames.size(); i++) {
            assertThat(h.getJsonArray("spectra").getJsonObject(i)).isEqualTo(frames.get(i).spectrumJson());
        }
        assertThat(h.getJsonObject("latest")).isEqualTo(frames.get(frames.size() - 1).tracesJson());
        assertThat(p.liveJson(frames.get(9)).getJsonObject("latest")).isEqualTo(frames.get(9).tracesJson());
    }
}
