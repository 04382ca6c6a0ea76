package org.hypnostream.stream.legs;

import java.util.Locale;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;

/**
 * Recognises left and right leg (tibialis anterior) EMG channels: by type EMG_LEG_LEFT / EMG_LEG_RIGHT, or by a
 * label naming a leg ("Leg", "LAT", "tibialis") and a side ("Left"/"L", "Right"/"R"), e.g. "Left Leg", "LAT-R",
 * "Leg/L", "RLEG". Channels of types that cannot be leg EMG (EEG, EOG, ECG, RESP, needle EMG) are never matched.
 */
public final class LegChannels {
    private LegChannels() {
    }

    /** LEFT, RIGHT, or null when the channel is not a leg EMG channel. */
    public static LegSide side(ChannelInfo c) {
        if (c.type() == ChannelType.EMG_LEG_LEFT) {
            return LegSide.LEFT;
        }
        if (c.type() == ChannelType.EMG_LEG_RIGHT) {
            return LegSide.RIGHT;
        }
        switch (c.type()) {
            case EEG, EOG, ECG, RESP, EMG_NEEDLE -> {
                return null;
            }
            default -> {
            }
        }
        String l = c.label().toLowerCase(Locale.ROOT);
        boolean leg = false;
        boolean left = false;
        boolean right = false;
        for (String token : l.split("[^a-z]+")) {
            if (token.isEmpty()) {
                continue;
            }
            String rest = token;
            if (token.length() > 1 && (token.startsWith("l") || token.startsWith("r")) && isLegWord(token.substring(1))) {
                left |= token.charAt(0) == 'l';
                right |= token.charAt(0) == 'r';
                rest = token.substring(1);
            }
            leg |= isLegWord(rest);
            left |= token.equals("l") || token.equals("left");
            right |= token.equals("r") || token.equals("right");
        }
        if (!leg || left == right) {
            return null;
        }
        return left ? LegSide.LEFT : LegSide.RIGHT;
    }

    private static boolean isLegWord(String t) {
        return t.equals("leg") || t.equals("legs") || t.equals("lat") || t.startsWith("tib");
    }
}
