package org.hypnostream.inference.emg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreeningMetricsTest {
    private static float[] p(double als, double myo, double normal) {
        return new float[] {(float) als, (float) myo, (float) normal};
    }

    @Test
    void handComputedFigures() {
        // rec A (ALS): windows ALS, ALS, normal -> mean ALS 0.5667 > normal 0.3667: recording TP; windows 2 TP, 1 FN
        float[][] a = {p(0.8, 0.1, 0.1), p(0.7, 0.1, 0.2), p(0.2, 0.0, 0.8)};
        // rec B (ALS): windows normal, normal -> FN; windows 2 FN. argmax normal
        float[][] b = {p(0.3, 0.1, 0.6), p(0.4, 0.0, 0.6)};
        // rec C (normal): windows normal, ALS -> mean ALS 0.45 < normal 0.5: TN; windows 1 TN, 1 FP
        float[][] c = {p(0.1, 0.1, 0.8), p(0.8, 0.0, 0.2)};
        // rec D (myopathy): predicted myopathy; excluded from ALS vs normal
        float[][] d = {p(0.1, 0.8, 0.1)};
        ScreeningMetrics m = ScreeningMetrics.compute(List.<float[][]>of(a, b, c, d), List.of(0, 0, 2, 1));
        // recordings (A, B, C): TP 1, FN 1, TN 1, FP 0
        assertThat(m.recordingAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.sensitivity()).isCloseTo(0.5, within(1e-12));
        assertThat(m.specificity()).isCloseTo(1.0, within(1e-12));
        assertThat(m.balancedAccuracy()).isCloseTo(0.75, within(1e-12));
        // windows: TP 2, FN 3, TN 1, FP 1
        assertThat(m.windowAccuracy()).isCloseTo(3.0 / 7, within(1e-12));
        assertThat(m.windowSensitivity()).isCloseTo(2.0 / 5, within(1e-12));
        assertThat(m.windowSpecificity()).isCloseTo(0.5, within(1e-12));
        assertThat(m.windowBalancedAccuracy()).isCloseTo(0.45, within(1e-12));
        // 3-class recordings: A->ALS ok, B->normal (true ALS), C->normal ok, D->myopathy ok
        // F1 ALS = 2*1/(2+0+1) = 2/3; myopathy = 1; normal = 2*1/(2+1+0) = 2/3
        assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 1 + 2.0 / 3) / 3, within(1e-12));
        // 3-class windows: true ALS (5): pred ALS,ALS,normal,normal,normal; normal (2): normal, ALS; myo (1): myo
        // ALS tp 2 fp 1 fn 3 -> 4/8; myo 1; normal tp 1 fp 3 fn 1 -> 2/6
        assertThat(m.windowMacroF1()).isCloseTo((0.5 + 1 + 1.0 / 3) / 3, within(1e-12));
        assertThat(m.recordings()).isEqualTo(4);
        assertThat(m.windows()).isEqualTo(8);
    }

    @Test
    void undefinedRatiosAreNanNotZero() {
        ScreeningMetrics m = ScreeningMetrics.compute(List.<float[][]>of(new float[][] {p(0.1, 0.8, 0.1)}), List.of(1));
        assertThat(m.recordingAccuracy()).isNaN();
        assertThat(m.sensitivity()).isNaN();
        assertThat(m.macroF1()).isCloseTo(1.0 / 3, within(1e-12));   // myopathy F1 1, absent classes 0
    }

    @Test
    void rejectsMismatchedInput() {
        assertThatThrownBy(() -> ScreeningMetrics.compute(List.<float[][]>of(new float[][] {p(1, 0, 0)}), List.of()))
                .hasMessageContaining("1 recordings but 0 labels");
        assertThatThrownBy(() -> ScreeningMetrics.compute(List.<float[][]>of(new float[0][]), List.of(0)))
                .hasMessageContaining("no windows");
    }
}
