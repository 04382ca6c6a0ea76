package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlmBatchTest {
    @Test
    void countsSeriesAndIndicesPerHourOfRecording() {
        // 6 CLMs 20 s apart, a 12-s non-CLM at 200 s, 3 CLMs 20 s apart (too few): over 0.5 h
        String in = "L 0-1, L 20-21, R 40-41, L 60-61, L 80-81, L 100-101, L 200-212, L 230-231, L 250-251, L 270-271";
        PlmBatch.Summary s = PlmBatch.summarise(PlmRulesTest.parse(in), PlmRuleSet.WASM2016, 0.5);
        assertThat(s.lmCount()).isEqualTo(10);
        assertThat(s.clmCount()).isEqualTo(9);
        assertThat(s.plmCount()).isEqualTo(6);
        assertThat(s.seriesCount()).isEqualTo(1);
        assertThat(s.plmIndex()).isEqualTo(12.0);
        assertThat(s.lmIndex()).isEqualTo(20.0);
        assertThat(s.periodicityIndex()).isEqualTo(6.0 / 9.0);
    }
}
