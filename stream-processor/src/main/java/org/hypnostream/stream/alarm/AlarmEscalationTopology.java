package org.hypnostream.stream.alarm;

import java.time.InstantSource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.hypnostream.common.topic.Topics;

/**
 * Alarm reminders and escalation (ADR 0013): alerts.v1 and alert-actions.v1 in (from the beginning), alarm-notices.v1
 * and dead-letter.v1 out. One processor keyed by bed with one changelogged store; under exactly_once_v2 a notice and
 * the store change that records it commit together, so a restarted stream processor neither forgets an alarm nor
 * escalates it twice. The logic lives in {@link AlarmEscalation}; this class only wires.
 */
public final class AlarmEscalationTopology {
    public static final String APPLICATION_ID = "hypnostream-alarm-escalation";
    public static final String STORE = "alarm-escalation-state";
    static final String PROCESSOR = "alarm-escalation";
    static final String SINK_NOTICES = "alarm-escalation-sink-notices";
    static final String SINK_DEAD = "alarm-escalation-sink-dead-letter";

    private AlarmEscalationTopology() {
    }

    public static Topology build(EscalationConfig cfg) {
        return build(cfg, InstantSource.system());
    }

    /** {@code clock}: when reminders and escalations are due (a manual clock in tests). */
    public static Topology build(EscalationConfig cfg, InstantSource clock) {
        Topology t = new Topology();
        t.addSource("alarm-escalation-source-alerts", new StringDeserializer(), new ByteArrayDeserializer(), Topics.ALERTS.name());
        t.addSource("alarm-escalation-source-actions", new StringDeserializer(), new ByteArrayDeserializer(),
                Topics.ALERT_ACTIONS.name());
        t.addProcessor(PROCESSOR, () -> new EscalationProcessor(cfg, clock), "alarm-escalation-source-alerts",
                "alarm-escalation-source-actions");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                EscalationStateCodec.serde()), PROCESSOR);
        t.addSink(SINK_NOTICES, Topics.ALARM_NOTICES.name(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        t.addSink(SINK_DEAD, Topics.DEAD_LETTER.name(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}
