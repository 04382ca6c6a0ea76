package org.hypnostream.inference.emg;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Screening figures, defined exactly as training/emg/metrics.py defines them. ALS-vs-normal figures use ALS and
 * normal recordings (or their windows) only, ALS positive; a window or recording is called ALS iff
 * P(ALS) >= P(normal). Macro-F1 is the mean over the 3 classes of 2TP / (2TP + FP + FN) on argmax verdicts (0 for a
 * class never true and never predicted). Undefined ratios (no cases) are NaN.
 */
public record ScreeningMetrics(
        @JsonProperty("recording_accuracy_als_vs_normal") double recordingAccuracy,
        @JsonProperty("window_accuracy_als_vs_normal") double windowAccuracy,
        @JsonProperty("sensitivity") double sensitivity,
        @JsonProperty("specificity") double specificity,
        @JsonProperty("balanced_accuracy") double balancedAccuracy,
        @JsonProperty("window_sensitivity") double windowSensitivity,
        @JsonProperty("window_specificity") double windowSpecificity,
        @JsonProperty("window_balanced_accuracy") double windowBalancedAccuracy,
        @JsonProperty("macro_f1_3class") double macroF1,
        @JsonProperty("window_macro_f1_3class") double windowMacroF1,
        @JsonProperty("recordings") int recordings,
        @JsonProperty("windows") int windows) {

    private static final int ALS = 0;
    private static final int NORMAL = 2;
    private static final int CLASSES = 3;

    /**
     * @param windowProbabilities per recording, its windows' probabilities (ALS, myopathy, normal)
     * @param labels              per recording, its class index (0 ALS, 1 myopathy, 2 normal)
     */
    public static ScreeningMetrics compute(List<float[][]> windowProbabilities, List<Integer> labels) {
        if (windowProbabilities.size() != labels.size()) {
            throw new IllegalArgumentException(windowProbabilities.size() + " recordings but " + labels.size() + " labels");
        }
        Binary wb = new Binary();
        Binary rb = new Binary();
        long[][] wConf = new long[CLASSES][CLASSES];
        long[][] rConf = new long[CLASSES][CLASSES];
        int windows = 0;
        for (int r = 0; r < labels.size(); r++) {
            int y = labels.get(r);
            float[][] probs = windowProbabilities.get(r);
            if (probs.length == 0) {
                throw new IllegalArgumentException("recording " + r + " has no windows");
            }
            double[] mean = new double[CLASSES];
            for (float[] p : probs) {
                if (p.length != CLASSES) {
                    throw new IllegalArgumentException("recording " + r + ": a window has " + p.length + " probabilities, expected 3");
                }
                double[] d = {p[0], p[1], p[2]};
                wb.add(d, y);
                wConf[y][argmax(d)]++;
                for (int c = 0; c < CLASSES; c++) {
                    mean[c] += p[c];
                }
            }
            for (int c = 0; c < CLASSES; c++) {
                mean[c] /= probs.length;
            }
            rb.add(mean, y);
            rConf[y][argmax(mean)]++;
            windows += probs.length;
        }
        return new ScreeningMetrics(rb.accuracy(), wb.accuracy(), rb.sensitivity(), rb.specificity(), rb.balanced(),
                wb.sensitivity(), wb.specificity(), wb.balanced(), macroF1(rConf), macroF1(wConf), labels.size(), windows);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Macro-F1 from a confusion matrix {@code conf[true][predicted]}. */
    static double macroF1(long[][] conf) {
        double sum = 0;
        for (int c = 0; c < conf.length; c++) {
            long tp = conf[c][c];
            long fp = 0;
            long fn = 0;
            for (int o = 0; o < conf.length; o++) {
                if (o != c) {
                    fp += conf[o][c];
                    fn += conf[c][o];
                }
            }
            sum += 2 * tp + fp + fn == 0 ? 0.0 : 2.0 * tp / (2 * tp + fp + fn);
        }
        return sum / conf.length;
    }

    private static final class Binary {
        long tp;
        long tn;
        long fp;
        long fn;

        void add(double[] p, int label) {
            if (label != ALS && label != NORMAL) {
                return;
            }
            boolean predAls = p[ALS] >= p[NORMAL];
            boolean als = label == ALS;
            if (predAls && als) {
                tp++;
            } else if (!predAls && !als) {
                tn++;
            } else if (predAls) {
                fp++;
            } else {
                fn++;
            }
        }

        double accuracy() {
            long n = tp + tn + fp + fn;
            return n == 0 ? Double.NaN : (double) (tp + tn) / n;
        }

        double sensitivity() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }

        double specificity() {
            return tn + fp == 0 ? Double.NaN : (double) tn / (tn + fp);
        }

        double balanced() {
            return (sensitivity() + specificity()) / 2;
        }
    }
}
