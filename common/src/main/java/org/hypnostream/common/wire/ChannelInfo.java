package org.hypnostream.common.wire;

import java.util.Objects;

/**
 * One channel of a block: its montage label (e.g. "EEG Fpz-Cz", "Left Leg"), what it measures, and the unit of
 * its values after digital-to-physical scaling (normally "uV").
 */
public record ChannelInfo(String label, ChannelType type, String unit) {
    public static final int MAX_LABEL_BYTES = 128;

    public ChannelInfo {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
        if (label.isBlank()) {
            throw new IllegalArgumentException("channel label is blank");
        }
        if (label.length() > MAX_LABEL_BYTES || unit.length() > 16) {
            throw new IllegalArgumentException("channel label or unit too long: " + label);
        }
    }

    public static ChannelInfo microvolts(String label, ChannelType type) {
        return new ChannelInfo(label, type, "uV");
    }
}
