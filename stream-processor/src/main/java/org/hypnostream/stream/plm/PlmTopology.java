package org.hypnostream.stream.plm;

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
 * PLM scoring and alarms: leg-events.v1, stage-events.v1, leg-windows.v1 (technical alarms, stream heartbeat),
 * alert-actions.v1, beds.v1 (per-bed rule set) and study-events.v1 (the study window, rule set and population) in; plm-events.v1, alerts.v1 and dead-letter.v1 out. One
 * processor, keyed by bed, with two named stores; every undecodable or inconsistent record is dead-lettered with
 * its topic, partition and offset, never stopping the topology. The logic lives in {@link PlmScorer} and
 * {@link AlarmPolicy}; this class only wires.
 */
public final class PlmTopology {
    public static final String BED_STATE_STORE = "plm-bed-state";
    public static final String ALARM_STORE = "plm-alarm-state";
    public static final String PROCESSOR = "plm-scorer";
    static final String SINK_PLM = "plm-sink-plm-events";
    static final String SINK_ALERTS = "plm-sink-alerts";
    static final String SINK_DEAD = "plm-sink-dead-letter";

    private PlmTopology() {
    }

    public static Topology build(PlmConfig cfg) {
        return build(cfg, InstantSource.system());
    }

    /** {@code clock}: wall clock for alert times, silences and the stall check (a manual clock in tests). */
    public static Topology build(PlmConfig cfg, InstantSource clock) {
        Topology t = new Topology();
        String[] sources = {"plm-source-leg-events", "plm-source-stage-events", "plm-source-leg-windows",
            "plm-source-alert-actions", "plm-source-beds", "plm-source-study-events"};
        String[] topics = {Topics.LEG_EVENTS.name(), Topics.STAGE_EVENTS.name(), Topics.LEG_WINDOWS.name(),
            Topics.ALERT_ACTIONS.name(), Topics.BEDS.name(), Topics.STUDY_EVENTS.name()};
        for (int i = 0; i < sources.length; i++) {
            t.addSource(sources[i], new StringDeserializer(), new ByteArrayDeserializer(), topics[i]);
        }
        t.addProcessor(PROCESSOR, () -> new PlmProcessor(cfg, clock), sources);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BED_STATE_STORE), Serdes.String(),
                PlmStateCodec.bedSerde()), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ALARM_STORE), Serdes.String(),
                PlmStateCodec.alarmsSerde()), PROCESSOR);
        t.addSink(SINK_PLM, Topics.PLM_EVENTS.name(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        t.addSink(SINK_ALERTS, Topics.ALERTS.name(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        t.addSink(SINK_DEAD, Topics.DEAD_LETTER.name(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        return t;
    }
}
