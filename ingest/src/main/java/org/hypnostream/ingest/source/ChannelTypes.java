package org.hypnostream.ingest.source;

import java.util.Locale;
import java.util.Set;
import org.hypnostream.common.wire.ChannelType;

/** Classifies a PSG channel by its label (EDF labels such as "EEG Fpz-Cz", "Left Leg", "EMG submental"). */
public final class ChannelTypes {
    private static final Set<ChannelType> ELECTROPHYSIOLOGY = Set.of(ChannelType.EEG, ChannelType.EOG,
            ChannelType.EMG_CHIN, ChannelType.EMG_LEG_LEFT, ChannelType.EMG_LEG_RIGHT, ChannelType.EMG_NEEDLE,
            ChannelType.ECG);

    private ChannelTypes() {
    }

    public static boolean isElectrophysiology(ChannelType t) {
        return ELECTROPHYSIOLOGY.contains(t);
    }

    public static ChannelType byLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        String[] tokens = l.split("[^a-z0-9]+");
        if (l.contains("leg") || l.contains("tibialis") || l.startsWith("lat") || l.startsWith("rat")) {
            if (l.contains("left") || has(tokens, "l") || has(tokens, "lat") || l.startsWith("lat")) {
                return ChannelType.EMG_LEG_LEFT;
            }
            if (l.contains("right") || has(tokens, "r") || has(tokens, "rat") || l.startsWith("rat")) {
                return ChannelType.EMG_LEG_RIGHT;
            }
            return ChannelType.OTHER;
        }
        if (l.startsWith("eog") || l.contains("eog") || tokens.length > 0 && (tokens[0].equals("e1") || tokens[0].equals("e2")
                || tokens[0].equals("loc") || tokens[0].equals("roc"))) {
            return ChannelType.EOG;
        }
        if (l.startsWith("ecg") || l.startsWith("ekg") || l.contains(" ecg") || l.equals("ecg")) {
            return ChannelType.ECG;
        }
        if (l.contains("chin") || l.contains("submental") || l.startsWith("emg")) {
            return ChannelType.EMG_CHIN;
        }
        if (l.startsWith("eeg") || isEegElectrode(tokens)) {
            return ChannelType.EEG;
        }
        if (l.startsWith("resp") || l.contains("airflow") || l.contains("thor") || l.contains("abdo")
                || l.contains("nasal") || l.contains("rip")) {
            return ChannelType.RESP;
        }
        return ChannelType.OTHER;
    }

    private static boolean isEegElectrode(String[] tokens) {
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            return false;
        }
        return tokens[0].matches("(fp[z12]|f[z3-8]|c[z3-6]|p[z3-8]|o[z12]|t[3-8]|a[12]|m[12]|af[z3-8]|fc[z1-6]|cp[z1-6]|po[z3-8])");
    }

    private static boolean has(String[] tokens, String t) {
        for (String s : tokens) {
            if (s.equals(t)) {
                return true;
            }
        }
        return false;
    }
}
