package org.hypnostream.stream.plm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;

/**
 * The alarm state of one bed (state store {@code plm-alarm-state}, {@link PlmStateCodec}; every field must be in the codec): the latest record of each alert by
 * condition key, whether each condition is currently true, raise times of the last hour (for the cap), the audit
 * trail of actions, how many raises the cap suppressed, and when the bed last sent data (for the stall alarm).
 */
public final class BedAlarms {
    public Map<String, Alert> byKey = new TreeMap<>();
    public Map<String, Boolean> conditionActive = new TreeMap<>();
    public List<Instant> raisedAt = new ArrayList<>();
    public List<AlertAction> audit = new ArrayList<>();
    public long suppressedByCap;
    /** Raises so far; part of each alertId so that two raises never share one. */
    public long raiseSeq;
    /** Wall-clock time the bed's last leg window was seen, UTC microseconds; 0 = never. */
    public long lastDataMicros;
}
