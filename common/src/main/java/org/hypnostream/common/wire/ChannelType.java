package org.hypnostream.common.wire;

/** What an amplifier channel measures; decides which window a channel feeds. Codes are part of the wire format. */
public enum ChannelType {
    EEG(1), EOG(2), EMG_CHIN(3), EMG_LEG_LEFT(4), EMG_LEG_RIGHT(5), EMG_NEEDLE(6), ECG(7), RESP(8), OTHER(99);

    private final int code;

    ChannelType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ChannelType fromCode(int code) {
        for (ChannelType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown channel type code " + code);
    }
}
