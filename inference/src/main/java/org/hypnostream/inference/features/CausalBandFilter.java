package org.hypnostream.inference.features;

/**
 * Causal band-pass of the stager's relative-Welch input ({@link RelativeWelch}): a 4th-order Butterworth band-pass
 * (scipy {@code butter(4, [lo, hi], 'bandpass', fs=100, output='sos')}: 8th order, four biquads, transposed direct
 * form II as {@code scipy.signal.sosfilt}), EEG 0.5-30 Hz and EOG 0.5-15 Hz. At 100 Hz the 50 Hz mains frequency is
 * the Nyquist frequency, where the bilinear low-pass half has its zeros (z = -1): the band-pass is itself an exact
 * 50 Hz notch, so no separate notch section is needed. The state is carried from epoch to epoch of a bed (the
 * caller keeps it, {@link State}); a fresh state starts at the filter's steady state for a constant input equal to
 * the first sample ({@code sosfilt_zi * x[0]}), so a DC offset does not ring. Coefficients printed by scipy 1.10 in
 * float64 (training/stager/welch.py checks them and Java against scipy on synthetic epochs).
 */
public final class CausalBandFilter {
    /** EEG 0.5-30 Hz: rows b0 b1 b2 a0 a1 a2. */
    static final double[][] EEG_SOS = {
        {0.15846539806123527, 0.31693079612247055, 0.15846539806123527, 1.0, 0.3095162224485202, 0.06340645481274355},
        {1.0, 2.0, 1.0, 1.0, 0.4510663059022485, 0.4736042906469726},
        {1.0, -2.0, 1.0, 1.0, -1.9417067508886374, 0.9427039371667291},
        {1.0, -2.0, 1.0, 1.0, -1.9756462542348572, 0.9766279099900894}};
    /** {@code sosfilt_zi} of {@link #EEG_SOS}. */
    static final double[][] EEG_ZI = {
        {0.30322235955478877, 0.12919141412035795}, {0.4978276180410736, 0.007257158763080829},
        {-0.9595153756572031, 0.9595153756571971}, {-0.0, 0.0}};
    /** EOG 0.5-15 Hz. */
    static final double[][] EOG_SOS = {
        {0.016625891395840222, 0.033251782791680444, 0.016625891395840222, 1.0, -0.7254611940711644,
            0.16582251140848672},
        {1.0, 2.0, 1.0, 1.0, -0.9181959341186686, 0.5480946413782042},
        {1.0, -2.0, 1.0, 1.0, -1.940082826418538, 0.9411507993916598},
        {1.0, -2.0, 1.0, 1.0, -1.9763048213539793, 0.9772965877007544}};
    static final double[][] EOG_ZI = {
        {0.1343945615028832, -0.008416699377873173}, {0.8079937578511891, -0.3746100970188514},
        {-0.9590142107500141, 0.9590142107500081}, {-0.0, 0.0}};
    /** Biquads per filter. */
    public static final int SECTIONS = 4;

    private final double[][] sos;
    private final double[][] zi;

    private CausalBandFilter(double[][] sos, double[][] zi) {
        this.sos = sos;
        this.zi = zi;
    }

    /** 0.5-30 Hz (EEG). */
    public static CausalBandFilter eeg() {
        return new CausalBandFilter(EEG_SOS, EEG_ZI);
    }

    /** 0.5-15 Hz (EOG). */
    public static CausalBandFilter eog() {
        return new CausalBandFilter(EOG_SOS, EOG_ZI);
    }

    /** A fresh state, started at the steady state of a constant input {@code first}. */
    public double[][] initialState(double first) {
        double[][] z = new double[SECTIONS][2];
        for (int s = 0; s < SECTIONS; s++) {
            z[s][0] = zi[s][0] * first;
            z[s][1] = zi[s][1] * first;
        }
        return z;
    }

    /** Filters {@code x} in place of a new array, advancing {@code state} ({@code SECTIONS x 2}). */
    public double[] apply(double[] x, double[][] state) {
        double[] y = x.clone();
        for (int s = 0; s < SECTIONS; s++) {
            double[] c = sos[s];
            double z0 = state[s][0];
            double z1 = state[s][1];
            for (int i = 0; i < y.length; i++) {
                double in = y[i];
                double out = c[0] * in + z0;
                z0 = c[1] * in - c[4] * out + z1;
                z1 = c[2] * in - c[5] * out;
                y[i] = out;
            }
            state[s][0] = z0;
            state[s][1] = z1;
        }
        return y;
    }
}
