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
}
