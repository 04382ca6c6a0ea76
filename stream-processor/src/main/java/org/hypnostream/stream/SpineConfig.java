package org.hypnostream.stream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.WindowCodecs;

/**
 * Settings of the spine topology.
 *
 * @param stagerRateHz              rate of epoch channels (the stager's input rate)
 * @param stagerChannels            epoch channel label (in order) to candidate input labels (first present wins)
 * @param legRateHz                 rate of leg windows (the leg model's input rate)
 * @param legHopSamples             samples between the starts of consecutive leg windows
 * @param emgSegmentSamples         needle-EMG segment length in samples at the recording's own rate
 * @param emgHopSamples             samples between the starts of consecutive EMG segments
 * @param flatRangeMicrovolts       a window channel whose finite samples span less than this is FLAT
 * @param clockJumpToleranceMicros  device-time disagreement with the sequence number tolerated before CLOCK_JUMP
 * @param emgCloseIdleMillis        a needle-EMG recording with no block for this long (processor wall clock) has
 *                                  ended: its closing segment ({@code last = true}) is emitted; 0 = never by idleness
 */
public record SpineConfig(
        double stagerRateHz,
        Map<String, List<String>> stagerChannels,
        double legRateHz,
        int legHopSamples,
        int emgSegmentSamples,
        int emgHopSamples,
        double flatRangeMicrovolts,
        long clockJumpToleranceMicros,
        long emgCloseIdleMillis) {

    /** Default idle time after which a needle-EMG recording is closed, ms. */
    public static final long DEFAULT_EMG_CLOSE_IDLE_MILLIS = 5_000L;

    public static final Map<String, List<String>> DEFAULT_STAGER_CHANNELS = defaultChannels();
    public static final String DEFAULT_STAGER_CHANNELS_TEXT = format(DEFAULT_STAGER_CHANNELS);

    public SpineConfig {
        List<String> problems = new ArrayList<>();
        if (!(stagerRateHz >= 1 && stagerRateHz <= 1000) || stagerRateHz * 30 != Math.rint(stagerRateHz * 30)) {
            problems.add("stager rate " + stagerRateHz + " Hz must be 1-1000 Hz with a whole number of samples per 30 s");
        }
        if (stagerChannels == null || stagerChannels.isEmpty() || stagerChannels.size() > 16) {
            problems.add("stager channels must map 1-16 output labels to candidate input labels");
        } else {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            stagerChannels.forEach((k, v) -> {
                if (k == null || k.isBlank() || v == null || v.isEmpty() || v.stream().anyMatch(s -> s == null || s.isBlank())) {
                    problems.add("stager channel '" + k + "' needs a label and at least one candidate input label");
                } else {
                    copy.put(k.trim(), v.stream().map(String::trim).toList());
                }
            });
            stagerChannels = Collections.unmodifiableMap(copy);
        }
        if (!(legRateHz >= 1 && legRateHz <= 10_000)) {
            problems.add("leg rate " + legRateHz + " Hz must be 1-10000 Hz");
        }
        if (legHopSamples < 1 || legHopSamples > LegWindow.SAMPLES) {
            problems.add("leg hop " + legHopSamples + " samples must be 1-" + LegWindow.SAMPLES);
        }
        if (emgSegmentSamples < 16 || emgSegmentSamples > WindowCodecs.MAX_WINDOW_SAMPLES) {
            problems.add("EMG segment " + emgSegmentSamples + " samples must be 16-" + WindowCodecs.MAX_WINDOW_SAMPLES);
        }
        if (emgHopSamples < 1 || emgHopSamples > emgSegmentSamples) {
            problems.add("EMG hop " + emgHopSamples + " samples must be 1-" + emgSegmentSamples + " (the segment length)");
        }
        if (!(flatRangeMicrovolts >= 0 && flatRangeMicrovolts < 1000)) {
            problems.add("flat range " + flatRangeMicrovolts + " uV must be 0-1000");
        }
        if (clockJumpToleranceMicros < 0 || clockJumpToleranceMicros > 60_000_000L) {
            problems.add("clock jump tolerance " + clockJumpToleranceMicros + " us must be 0-60 s");
        }
        if (emgCloseIdleMillis < 0 || emgCloseIdleMillis > 86_400_000L) {
            problems.add("EMG close idle time " + emgCloseIdleMillis + " ms must be 0-86400000 (0 = never)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The settings with the default EMG close idle time ({@link #DEFAULT_EMG_CLOSE_IDLE_MILLIS}). */
    public SpineConfig(double stagerRateHz, Map<String, List<String>> stagerChannels, double legRateHz, int legHopSamples,
            int emgSegmentSamples, int emgHopSamples, double flatRangeMicrovolts, long clockJumpToleranceMicros) {
        this(stagerRateHz, stagerChannels, legRateHz, legHopSamples, emgSegmentSamples, emgHopSamples, flatRangeMicrovolts,
                clockJumpToleranceMicros, DEFAULT_EMG_CLOSE_IDLE_MILLIS);
    }

    public static SpineConfig defaults() {
        return new SpineConfig(100.0, DEFAULT_STAGER_CHANNELS, 200.0, 2400, 23436, 23436, 0.5, 100_000L);
    }

    /** Samples per epoch channel (30 s at the stager rate). */
    public int epochSamples() {
        return (int) Math.round(stagerRateHz * Epoch.EPOCH_MICROS / 1e6);
    }

    public SpineConfig withLegHop(int hop) {
        return new SpineConfig(stagerRateHz, stagerChannels, legRateHz, hop, emgSegmentSamples, emgHopSamples,
                flatRangeMicrovolts, clockJumpToleranceMicros, emgCloseIdleMillis);
    }

    public SpineConfig withEmg(int segment, int hop) {
        return new SpineConfig(stagerRateHz, stagerChannels, legRateHz, legHopSamples, segment, hop,
                flatRangeMicrovolts, clockJumpToleranceMicros, emgCloseIdleMillis);
    }

    /** The same settings closing idle needle-EMG recordings after {@code millis} (0 = never by idleness). */
    public SpineConfig withEmgCloseIdle(long millis) {
        return new SpineConfig(stagerRateHz, stagerChannels, legRateHz, legHopSamples, emgSegmentSamples, emgHopSamples,
                flatRangeMicrovolts, clockJumpToleranceMicros, millis);
    }

    /** Reads every {@code stream.*} key; problems are recorded on {@code r} (call {@code r.validate()} after). */
    public static SpineConfig fromEnvironment(ConfigReader r) {
        SpineConfig d = defaults();
        double stager = r.doubleInRange("stream.stager.rate-hz", d.stagerRateHz, 1, 1000, "epoch channel rate (the stager's input rate), Hz");
        String channels = r.string("stream.stager.channels", DEFAULT_STAGER_CHANNELS_TEXT,
                "epoch channels: OUT=candidate|candidate;OUT=... (first input label present wins, case-insensitive)");
        double leg = r.doubleInRange("stream.leg.rate-hz", d.legRateHz, 1, 10_000, "leg window rate (the leg model's input rate), Hz");
        int hop = r.intInRange("stream.leg.hop-samples", d.legHopSamples, 1, LegWindow.SAMPLES, "samples between leg window starts");
        int seg = r.intInRange("stream.emg.segment-samples", d.emgSegmentSamples, 16, WindowCodecs.MAX_WINDOW_SAMPLES,
                "needle-EMG segment length, samples at the recording's rate");
        int emgHop = r.intInRange("stream.emg.hop-samples", 0, 0, WindowCodecs.MAX_WINDOW_SAMPLES,
                "samples between EMG segment starts (0 = segment length)");
        double flat = r.doubleInRange("stream.quality.flat-range-uv", d.flatRangeMicrovolts, 0, 1000,
                "a window channel spanning less than this many uV is FLAT");
        long tol = r.longInRange("stream.clock-jump-tolerance-ms", d.clockJumpToleranceMicros / 1000, 0, 60_000,
                "device-time disagreement with seq tolerated before CLOCK_JUMP, ms");
        long idle = r.longInRange("stream.emg.close-idle-ms", d.emgCloseIdleMillis, 0, 86_400_000L,
                "a needle-EMG recording with no block for this long has ended: its last segment is emitted (0 = never)");
        try {
            return new SpineConfig(stager, parseChannels(channels), leg, hop, seg, emgHop == 0 ? seg : emgHop, flat, tol * 1000,
                    idle);
        } catch (IllegalArgumentException e) {
            r.problem("stream settings: " + e.getMessage());
            return d;
        }
    }

    /** Parses {@code OUT=cand|cand;OUT=cand}. */
    public static Map<String, List<String>> parseChannels(String text) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("stager channel entry '" + entry.trim() + "' is not OUT=candidate|candidate");
            }
            List<String> cands = new ArrayList<>();
            for (String c : entry.substring(eq + 1).split("\\|")) {
                if (!c.isBlank()) {
                    cands.add(c.trim());
                }
            }
            m.put(entry.substring(0, eq).trim(), cands);
        }
        return m;
    }

    static String format(Map<String, List<String>> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(String.join("|", v)));
        return b.toString();
    }

    private static Map<String, List<String>> defaultChannels() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Fpz-Cz", List.of("EEG Fpz-Cz", "Fpz-Cz", "EEG F4-M1", "F4-M1", "EEG C4-M1"));
        m.put("Pz-Oz", List.of("EEG Pz-Oz", "Pz-Oz", "EEG O2-M1", "O2-M1", "EEG O1-M2"));
        m.put("EOG", List.of("EOG horizontal", "EOG E1-M2", "E1-M2", "EOG E2-M1", "ROC", "LOC"));
        return Collections.unmodifiableMap(m);
    }
}
