package org.hypnostream.ingest.edf;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One data signal of an EDF file, with every sample already converted to physical units exactly as EDFlib does it
 * (float64: {@code bitvalue = (pmax - pmin) / (dmax - dmin)}, {@code offset = pmax / bitvalue - dmax},
 * {@code x = bitvalue * (offset + digital)}).
 *
 * @param physical all samples of the signal, records concatenated, in {@code physicalDimension}
 */
public record EdfSignal(
        String label,
        String transducer,
        String physicalDimension,
        double physicalMin,
        double physicalMax,
        int digitalMin,
        int digitalMax,
        String prefiltering,
        int samplesPerRecord,
        double sampleRateHz,
        double[] physical) {

    public EdfSignal {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(physical, "physical");
    }

    /** Scale factor from {@code unit} to microvolts, or NaN when the unit is not a voltage. */
    public static double toMicrovoltsFactor(String unit) {
        String u = unit == null ? "" : unit.trim();
        switch (u) {
            case "uV": case "µV": case "μV": case "UV":
                return 1.0;
            case "mV": case "MV":
                return 1_000.0;
            case "V": case "v":
                return 1_000_000.0;
            case "nV":
                return 0.001;
            default:
                String l = u.toLowerCase(Locale.ROOT);
                return l.equals("uv") ? 1.0 : l.equals("mv") ? 1_000.0 : Double.NaN;
        }
    }

    /** True when the physical dimension is a voltage (V, mV, uV, nV). */
    public boolean isVoltage() {
        return !Double.isNaN(toMicrovoltsFactor(physicalDimension));
    }

    /** The samples in µV when the unit is a voltage (V, mV, µV); other units are returned unchanged (a copy). */
    public double[] microvolts() {
        double f = toMicrovoltsFactor(physicalDimension);
        double[] out = physical.clone();
        if (!Double.isNaN(f) && f != 1.0) {
            for (int i = 0; i < out.length; i++) {
                out[i] *= f;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdfSignal s && label.equals(s.label) && Objects.equals(transducer, s.transducer)
                && Objects.equals(physicalDimension, s.physicalDimension)
                && Double.compare(physicalMin, s.physicalMin) == 0 && Double.compare(physicalMax, s.physicalMax) == 0
                && digitalMin == s.digitalMin && digitalMax == s.digitalMax
                && Objects.equals(prefiltering, s.prefiltering) && samplesPerRecord == s.samplesPerRecord
                && Double.compare(sampleRateHz, s.sampleRateHz) == 0 && Arrays.equals(physical, s.physical);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, samplesPerRecord, sampleRateHz) * 31 + Arrays.hashCode(physical);
    }

    @Override
    public String toString() {
        return "EdfSignal[" + label + ", " + sampleRateHz + " Hz, " + physicalDimension + ", " + physical.length + " samples]";
    }
}
