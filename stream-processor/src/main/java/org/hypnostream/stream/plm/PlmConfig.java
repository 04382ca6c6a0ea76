package org.hypnostream.stream.plm;

import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.event.AlertPriority;

/**
 * Configuration of the PLM scoring and alarm topology.
 *
 * @param ruleSet               default rule set (a bed's {@code BedInfo.ruleSet} overrides it)
 * @param alarmPlmsIndex        PLMS index (per hour of sleep) over which the PLM finding is raised
 * @param alarmWindowMinutes    rolling window of sleep the alarm index is computed over
 * @param alarmMinSleepMinutes  sleep the window must hold before the finding can be raised
 * @param alarmPriority         LOW or MEDIUM (a PLM finding is never HIGH)
 * @param alarmCapPerHour       at most this many alarms raised per bed per hour
 * @param stallSeconds          no leg window from a bed for this long (wall clock) raises STREAM_STALLED
 * @param bilateralGraceSeconds how long (stream time) to wait for the other leg before closing a bilateral group
 * @param stageWaitSeconds      how long (stream time) an LM waits for its epoch's stage before it is scored unstaged
 * @param punctuateSeconds      wall-clock period of the stall and silence checks
 */
public record PlmConfig(PlmRuleSet ruleSet, double alarmPlmsIndex, int alarmWindowMinutes, int alarmMinSleepMinutes,
        AlertPriority alarmPriority, int alarmCapPerHour, int stallSeconds, int bilateralGraceSeconds,
        int stageWaitSeconds, int punctuateSeconds) {

    public PlmConfig {
        Objects.requireNonNull(ruleSet, "ruleSet");
        Objects.requireNonNull(alarmPriority, "alarmPriority");
        if (alarmPriority == AlertPriority.HIGH) {
            throw new IllegalArgumentException("a PLM finding is LOW or MEDIUM, never HIGH");
        }
        if (!(alarmPlmsIndex > 0) || alarmWindowMinutes < 1 || alarmMinSleepMinutes < 1
                || alarmMinSleepMinutes > alarmWindowMinutes) {
            throw new IllegalArgumentException("PLM alarm: index " + alarmPlmsIndex + "/h, window " + alarmWindowMinutes
                    + " min, minimum sleep " + alarmMinSleepMinutes + " min: need index > 0 and 1 <= sleep <= window");
        }
        if (alarmCapPerHour < 1 || stallSeconds < 1 || bilateralGraceSeconds < 1 || stageWaitSeconds < 1
                || punctuateSeconds < 1) {
            throw new IllegalArgumentException("PLM config: cap, stall, grace, stage wait and punctuation must be >= 1");
        }
    }

    public static PlmConfig defaults() {
        return new PlmConfig(PlmRuleSet.WASM2016, 15.0, 60, 30, AlertPriority.LOW, 6, 60, 30, 300, 5);
    }

    /** Reads the {@code plm.*} keys (documented by {@code describe()}); call {@code r.validate()} afterwards. */
    public static PlmConfig fromEnvironment(ConfigReader r) {
        PlmConfig d = defaults();
        String rules = r.oneOf("plm.rule-set", d.ruleSet().id(), Set.of("WASM2016", "AASM"),
                "default PLM rule set; a bed's registry entry overrides it");
        double index = r.doubleInRange("plm.alarm.plms-index", d.alarmPlmsIndex(), 0.1, 1000,
                "PLMS index (/h of sleep) over which the PLM finding is raised");
        int window = r.intInRange("plm.alarm.window-minutes", d.alarmWindowMinutes(), 1, 24 * 60,
                "rolling window of sleep for the alarm index, minutes");
        int minSleep = r.intInRange("plm.alarm.min-sleep-minutes", d.alarmMinSleepMinutes(), 1, 24 * 60,
                "sleep the window must hold before the finding can be raised, minutes");
        String prio = r.oneOf("plm.alarm.priority", d.alarmPriority().name(), Set.of("LOW", "MEDIUM"),
                "priority of the PLM finding (IEC 60601-1-8: never HIGH)");
        int cap = r.intInRange("plm.alarm.cap-per-hour", d.alarmCapPerHour(), 1, 1000,
                "most alarms raised per bed per hour; more are suppressed and counted");
        int stall = r.intInRange("plm.stall-seconds", d.stallSeconds(), 1, 3600,
                "no leg window from a bed for this long raises STREAM_STALLED, seconds");
        int grace = r.intInRange("plm.bilateral-grace-seconds", d.bilateralGraceSeconds(), 1, 600,
                "stream time to wait for the other leg before closing a bilateral group, seconds");
        int stageWait = r.intInRange("plm.stage-wait-seconds", d.stageWaitSeconds(), 1, 3600,
                "stream time an LM waits for its epoch's stage before it is scored unstaged, seconds");
        int punct = r.intInRange("plm.punctuate-seconds", d.punctuateSeconds(), 1, 600,
                "wall-clock period of the stall and silence checks, seconds");
        if (minSleep > window) {
            r.problem("plm.alarm.min-sleep-minutes=" + minSleep + " exceeds plm.alarm.window-minutes=" + window);
            minSleep = window;
        }
        return new PlmConfig(PlmRuleSet.parse(rules), index, window, minSleep, AlertPriority.valueOf(prio), cap, stall,
                grace, stageWait, punct);
    }
}
