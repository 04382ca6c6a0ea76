package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RecordingAggregatorTest {

    @Test
    void runningVerdictIsTheMeanOfWindowProbabilities() {
        RecordingAggregator agg = new RecordingAggregator("rec-1", EmgClasses.ALL);
        RecordingVerdict v1 = agg.add(new float[] {0.9f, 0.05f, 0.05f});
        assertThat(v1.verdict()).isEqualTo("ALS");
        assertThat(v1.confidence()).isCloseTo(0.9, within(1e-7));
        assertThat(v1.isFinal()).isFalse();
        agg.add(new float[] {0.1f, 0.1f, 0.8f});
        RecordingVerdict v3 = agg.add(new float[] {0.2f, 0.1f, 0.7f});
        // means: ALS (0.9+0.1+0.2)/3 = 0.4, myopathy 0.25/3, normal 1.55/3 = 0.51667
        assertThat(v3.windows()).isEqualTo(3);
        assertThat(v3.verdict()).isEqualTo("normal");
        assertThat(v3.confidence()).isCloseTo(1.55 / 3, within(1e-6));
        assertThat(v3.meanProbabilities()[0]).isCloseTo(0.4, within(1e-6));
        assertThat(v3.alsOverNormal()).isFalse();
        RecordingVerdict fin = agg.finish();
        assertThat(fin.isFinal()).isTrue();
        assertThat(fin.verdict()).isEqualTo("normal");
        assertThat(agg.finish()).isEqualTo(fin);
        assertThatThrownBy(() -> agg.add(new float[] {1, 0, 0})).hasMessageContaining("rec-1").hasMessageContaining("after the final");
    }

    @Test
    void alsVsNormalIgnoresMyopathyAndTiesGoToAls() {
        RecordingAggregator agg = new RecordingAggregator("rec-2", EmgClasses.ALL);
        RecordingVerdict v = agg.add(new float[] {0.25f, 0.5f, 0.25f});
        assertThat(v.verdict()).isEqualTo("myopathy");
        assertThat(v.alsOverNormal()).isTrue();
    }

    @Test
    void emptyAndBadInput() {
        RecordingAggregator agg = new RecordingAggregator("rec-3", EmgClasses.ALL);
        assertThat(agg.current().windows()).isZero();
        assertThat(agg.current().confidence()).isZero();
        assertThatThrownBy(() -> agg.add(new float[] {0.5f, 0.5f})).hasMessageContaining("rec-3").hasMessageContaining("expected 3");
        assertThatThrownBy(() -> agg.add(new float[] {Float.NaN, 0, 1})).hasMessageContaining("non-finite");
        assertThat(agg.windows()).isZero();
    }
}
