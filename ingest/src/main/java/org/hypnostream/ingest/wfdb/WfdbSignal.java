package org.hypnostream.ingest.wfdb;

import java.util.Arrays;
import java.util.Objects;

/**
 * One signal of a WFDB record as its header line describes it, with the samples in physical units
 * ({@code (digital - baseline) / adcGain}, in {@code units}, e.g. uV or mV).
 *
 * @param checksum the header's 16-bit checksum (verified against the data when the header gives one)
 */
public record WfdbSignal(String fileName, int format, double adcGain, int baseline, String units, int adcResolution,
                         int adcZero, int initialValue, int checksum, int blockSize, String description,
                         long byteOffset, float[] physical) {
    public WfdbSignal {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(physical, "physical");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WfdbSignal s && fileName.equals(s.fileName) && format == s.format
                && Double.compare(adcGain, s.adcGain) == 0 && baseline == s.baseline && Objects.equals(units, s.units)
                && adcResolution == s.adcResolution && adcZero == s.adcZero && initialValue == s.initialValue
                && checksum == s.checksum && blockSize == s.blockSize && Objects.equals(description, s.description)
                && byteOffset == s.byteOffset && Arrays.equals(physical, s.physical);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, format, adcGain, baseline) * 31 + Arrays.hashCode(physical);
    }

    @Override
    public String toString() {
        return "WfdbSignal[" + fileName + ", format " + format + ", gain " + adcGain + "/" + units + ", "
                + physical.length + " samples]";
    }
}
