package org.hypnostream.ingest.source;

import java.util.List;
import java.util.SplittableRandom;
import org.hypnostream.common.event.Stage;

/**
 * Generates the 256 Hz PSG channels (6 EEG, 2 EOG, chin EMG) of a synthetic bed, one second per call, with stage
 * dependent content. Amplitudes follow the stage-wise medians of Sleep-EDF SC (std of Fpz-Cz about 22/10/15/29/11
 * µV in W/N1/N2/N3/REM; Pz-Oz lower; EOG highest in W, lowest in N2). All state is primitive: no per-sample
 * allocation.
 */
final class EegGenerator {
    static final double RATE = 256.0;
    static final List<String> LABELS = List.of("EEG Fpz-Cz", "EEG Pz-Oz", "EEG C3-M2", "EEG C4-M1", "EEG O1-M2",
            "EEG F4-M1", "EOG horizontal", "EOG E2-M1", "EMG chin");
    private static final int EEG = 6;
    // per stage W, N1, N2, N3, REM
    private static final double[] BACKGROUND = {10, 6, 7, 9, 6};
    private static final double[] ALPHA = {16, 3, 1.2, 0.6, 3};
    private static final double[] THETA = {2, 10, 4, 3, 7};
    private static final double[] DELTA = {3, 4, 10, 40, 4};
    private static final double[] BETA = {3, 1.5, 1, 0.5, 2};
    private static final double[] SPINDLE_PER_S = {0, 0, 0.12, 0.03, 0};
    private static final double[] KC_PER_S = {0, 0, 0.025, 0.01, 0};
    private static final double[] CHIN = {18, 10, 7, 6, 1.5};
    // per EEG channel: Fpz-Cz, Pz-Oz, C3-M2, C4-M1, O1-M2, F4-M1
    private static final double[] W_ALPHA = {0.35, 1.0, 0.55, 0.55, 1.0, 0.35};
    private static final double[] W_DELTA = {1.0, 0.6, 0.85, 0.85, 0.6, 1.0};
    private static final double[] W_SPINDLE = {0.6, 0.5, 1.0, 1.0, 0.5, 0.7};
    private static final double[] W_KC = {1.0, 0.5, 0.9, 0.9, 0.5, 1.0};
    private static final double[] W_EYE = {0.15, 0.02, 0.04, 0.04, 0.02, 0.1};
    private static final double[] W_BG = {1.0, 0.75, 0.9, 0.9, 0.8, 1.0};

    private final SplittableRandom rnd;
    private final float[] kc = Waves.kComplex(RATE);
    private final float[] blink = Waves.blink(RATE);
    private final float[] beat = Waves.heartbeat(RATE);
    private final double[] ar = new double[EEG];
    private final double beatInterval;
    private double alphaPhase;
    private double thetaPhase;
    private double delta1Phase;
    private double delta2Phase;
    private double betaPhase;
    private double sigmaPhase;
    private double mainsPhase;
    private double semPhase;
    private double deltaAmp = 1.0;
    private int spindleLeft;
    private int spindleLength;
    private double spindleFreq = 13;
    private int kcPos = -1;
    private int blinkPos = -1;
    private double eye;
    private double eyeTarget;
    private double chinLow;
    private double heartClock;
    private long n;

    EegGenerator(long seed, double heartRateBpm) {
        this.rnd = new SplittableRandom(seed);
        this.beatInterval = RATE * 60.0 / heartRateBpm;
    }

    /** Fills {@code out[9][256]} with the next second in µV. */
    void next(Stage stage, float[][] out) {
        int s = Math.min(stage.ordinal(), 4);
        int samples = out[0].length;
        double alphaFreq = 9.5 + rnd.nextDouble();
        int spindleAt = rnd.nextDouble() < SPINDLE_PER_S[s] && spindleLeft == 0 ? rnd.nextInt(samples) : -1;
        int kcAt = rnd.nextDouble() < KC_PER_S[s] && kcPos < 0 ? rnd.nextInt(samples) : -1;
        int blinkAt = s == 0 && rnd.nextDouble() < 0.3 && blinkPos < 0 ? rnd.nextInt(samples) : -1;
        int saccadeAt = s == 4 && rnd.nextDouble() < 0.6 ? rnd.nextInt(samples) : -1;
        if (s == 0 && rnd.nextDouble() < 0.15) {
            saccadeAt = rnd.nextInt(samples);
        }
        deltaAmp = 0.7 * deltaAmp + 0.3 * (0.6 + 0.8 * rnd.nextDouble());
        for (int i = 0; i < samples; i++, n++) {
            double t = n / RATE;
            if (i == spindleAt) {
                spindleLength = (int) ((0.5 + rnd.nextDouble()) * RATE);
                spindleLeft = spindleLength;
                spindleFreq = 12 + 2 * rnd.nextDouble();
            }
            if (i == kcAt) {
                kcPos = 0;
            }
            if (i == blinkAt) {
                blinkPos = 0;
            }
            if (i == saccadeAt) {
                eyeTarget = (rnd.nextBoolean() ? 1 : -1) * (40 + 60 * rnd.nextDouble());
            }
            alphaPhase = Waves.advance(alphaPhase, alphaFreq / RATE);
            thetaPhase = Waves.advance(thetaPhase, 6.0 / RATE);
            delta1Phase = Waves.advance(delta1Phase, 0.85 / RATE);
            delta2Phase = Waves.advance(delta2Phase, 1.9 / RATE);
            betaPhase = Waves.advance(betaPhase, 21.0 / RATE);
            sigmaPhase = Waves.advance(sigmaPhase, spindleFreq / RATE);
            mainsPhase = Waves.advance(mainsPhase, 50.0 / RATE);
            semPhase = Waves.advance(semPhase, 0.25 / RATE);
            double alpha = ALPHA[s] * (0.65 + 0.35 * Waves.sin(0.1 * t)) * Waves.sin(alphaPhase);
            double theta = THETA[s] * Waves.sin(thetaPhase);
            double delta = DELTA[s] * deltaAmp * (0.8 * Waves.sin(delta1Phase) + 0.45 * Waves.sin(delta2Phase));
            double beta = BETA[s] * Waves.sin(betaPhase);
            double spindle = 0;
            if (spindleLeft > 0) {
                spindle = 22 * Waves.sin(0.5 * (spindleLength - spindleLeft) / spindleLength) * Waves.sin(sigmaPhase);
                spindleLeft--;
            }
            double kComplex = 0;
            if (kcPos >= 0) {
                kComplex = 75 * kc[kcPos++];
                if (kcPos >= kc.length) {
                    kcPos = -1;
                }
            }
            double blinkV = 0;
            if (blinkPos >= 0) {
                blinkV = 160 * blink[blinkPos++];
                if (blinkPos >= blink.length) {
                    blinkPos = -1;
                }
            }
            if (s == 1) {
                eyeTarget = 45 * Waves.sin(semPhase);
            }
            eye += (eyeTarget - eye) * (s == 1 ? 0.05 : 0.25);
            eyeTarget *= 0.997;
            double mains = 1.5 * Waves.sin(mainsPhase);
            double cardiac = ecgAt();
            for (int c = 0; c < EEG; c++) {
                ar[c] = 0.96 * ar[c] + 0.28 * rnd.nextGaussian();
                double bg = BACKGROUND[s] * W_BG[c] * (ar[c] + 0.35 * rnd.nextGaussian());
                out[c][i] = (float) (bg + W_ALPHA[c] * alpha + theta + W_DELTA[c] * delta + beta + W_SPINDLE[c] * spindle
                        + W_KC[c] * kComplex + W_EYE[c] * (eye + blinkV) + 2.0 * cardiac + mains);
            }
            double eegBleed = 0.3 * (delta + theta);
            out[6][i] = (float) (eye + blinkV + eegBleed + 4 * rnd.nextGaussian() + 3 * cardiac + mains);
            out[7][i] = (float) (-0.8 * eye + 0.9 * blinkV + eegBleed + 4 * rnd.nextGaussian() + 3 * cardiac + mains);
            double white = rnd.nextGaussian();
            chinLow += 0.5 * (white - chinLow);
            out[8][i] = (float) (CHIN[s] * (white - chinLow) * 1.6 + 12 * cardiac + mains);
        }
    }

    /** The cardiac waveform at the current sample, beats every {@code beatInterval} samples. */
    private double ecgAt() {
        heartClock += 1;
        if (heartClock >= beatInterval) {
            heartClock -= beatInterval;
        }
        int k = (int) heartClock;
        return k < beat.length ? beat[k] : 0.0;
    }
}
