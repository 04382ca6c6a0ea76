package org.hypnostream.inference.stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Agreement figures with the same definitions as training/stager/metrics.py: a 5x5 confusion (rows = expert,
 * columns = predicted) plus expert-labelled epochs left UNSCORED, which count as errors.
 */
final class StagerMetrics {
    static final int K = 5;
    final long[][] confusion = new long[K][K];
    final long[] unscored = new long[K];
    private final List<double[]> calibration = new ArrayList<>();

    void add(int truth, int predicted, double confidence) {
        if (truth < 0) {
            return;
        }
        if (predicted < 0) {
            unscored[truth]++;
        } else {
            confusion[truth][predicted]++;
            calibration.add(new double[] {confidence, truth == predicted ? 1 : 0});
        }
    }

    void addAll(StagerMetrics o) {
        for (int i = 0; i < K; i++) {
            unscored[i] += o.unscored[i];
            for (int j = 0; j < K; j++) {
                confusion[i][j] += o.confusion[i][j];
            }
        }
        calibration.addAll(o.calibration);
    }

    long epochs() {
        long n = Arrays.stream(unscored).sum();
        for (long[] r : confusion) {
            n += Arrays.stream(r).sum();
        }
        return n;
    }

    long correct() {
        long c = 0;
        for (int i = 0; i < K; i++) {
            c += confusion[i][i];
        }
        return c;
    }

    double accuracy() {
        return (double) correct() / epochs();
    }

    double[] perClassF1() {
        double[] f1 = new double[K];
        for (int k = 0; k < K; k++) {
            long row = unscored[k];
            long col = 0;
            for (int j = 0; j < K; j++) {
                row += confusion[k][j];
                col += confusion[j][k];
            }
            long denom = row + col;
            f1[k] = denom > 0 ? 2.0 * confusion[k][k] / denom : 0.0;
        }
        return f1;
    }

    double macroF1() {
        return Arrays.stream(perClassF1()).sum() / K;
    }

    double kappa() {
        long n = epochs();
        double acc = accuracy();
        double pe = 0;
        for (int k = 0; k < K; k++) {
            long row = unscored[k];
            long col = 0;
            for (int j = 0; j < K; j++) {
                row += confusion[k][j];
                col += confusion[j][k];
            }
            pe += (double) row * (double) col;
        }
        pe /= (double) n * n;
        return pe < 1.0 ? (acc - pe) / (1.0 - pe) : Double.NaN;
    }

    /** Expected calibration error of the scored epochs, 15 equal-width confidence bins. */
    double ece() {
        int bins = 15;
        double[] conf = new double[bins];
        double[] corr = new double[bins];
        long[] count = new long[bins];
        for (double[] c : calibration) {
            int b = Math.min((int) (c[0] * bins), bins - 1);
            conf[b] += c[0];
            corr[b] += c[1];
            count[b]++;
        }
        double total = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                total += count[b] * Math.abs(conf[b] / count[b] - corr[b] / count[b]);
            }
        }
        return calibration.isEmpty() ? Double.NaN : total / calibration.size();
    }

    /** Epochs within 1.5 min of a transition between two labelled epochs of different stage (metrics.py). */
    static boolean[] nearTransition(int[] stage) {
        int radius = 3;
        boolean[] near = new boolean[stage.length];
        for (int b = 1; b < stage.length; b++) {
            if (stage[b] >= 0 && stage[b - 1] >= 0 && stage[b] != stage[b - 1]) {
                for (int i = Math.max(0, b - radius); i < Math.min(stage.length, b + radius); i++) {
                    near[i] = true;
                }
            }
        }
        return near;
    }

    /** numpy linear percentile of unsorted values, q in [0, 100]. */
    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q / 100.0;
        int i = (int) Math.floor(h);
        int j = Math.min(i + 1, s.length - 1);
        return s[i] + (s[j] - s[i]) * (h - i);
    }
}
