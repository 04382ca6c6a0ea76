package org.hypnostream.stream.alarm;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes alerts and actions to {@link AlarmEscalation}, checks every bed on a wall-clock punctuation, forwards notices. */
final class EscalationProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(EscalationProcessor.class);
    static final String COMPONENT = "stream-processor.alarm-escalation";

    private final EscalationConfig cfg;
    private final InstantSource clock;
    private final AlarmEscalation policy;
    private ProcessorContext<String, byte[]> ctx;
    private KeyValueStore<String, BedEscalations> store;

    EscalationProcessor(EscalationConfig cfg, InstantSource clock) {
        this.cfg = cfg;
        this.clock = clock;
        this.policy = new AlarmEscalation(cfg, clock);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        ctx = context;
        store = context.getStateStore(AlarmEscalationTopology.STORE);
        context.schedule(Duration.ofSeconds(cfg.punctuateSeconds()), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, byte[]> r) {
        String topic = ctx.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        try {
            if (r.key() == null || r.key().isBlank() || r.value() == null) {
                throw new IllegalArgumentException("record without a bed id key or value");
            }
            BedEscalations s = store.get(r.key());
            s = s == null ? new BedEscalations() : s;
            if (topic.equals(Topics.ALERTS.name())) {
                Alert a = Topics.ALERTS.valueSerde().deserializer().deserialize(topic, r.value());
                sameBed(r.key(), a.bedId());
                policy.onAlert(s, a);
            } else if (topic.equals(Topics.ALERT_ACTIONS.name())) {
                AlertAction a = Topics.ALERT_ACTIONS.valueSerde().deserializer().deserialize(topic, r.value());
                sameBed(r.key(), a.bedId());
                policy.onAction(s, a);
            } else {
                throw new IllegalArgumentException("topic " + topic + " is not an input of the alarm escalation");
            }
            save(r.key(), s);
        } catch (RuntimeException ex) {
            int partition = ctx.recordMetadata().map(RecordMetadata::partition).orElse(-1);
            long offset = ctx.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            LOG.warn("dead-lettering record from {}/{}@{} key {}: {}", topic, partition, offset, r.key(), reason);
            DeadLetter d = DeadLetter.of(COMPONENT, topic, partition, offset, r.key(), reason, r.value(), clock.instant());
            ctx.forward(new Record<>(r.key(), Topics.DEAD_LETTER.valueSerde().serializer().serialize(
                    Topics.DEAD_LETTER.name(), d), r.timestamp()), AlarmEscalationTopology.SINK_DEAD);
        }
    }

    private void punctuate(long timestamp) {
        List<KeyValue<String, BedEscalations>> changed = new ArrayList<>();
        try (KeyValueIterator<String, BedEscalations> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, BedEscalations> kv;
                try {
                    kv = it.next(); // the iterator moves on before it decodes, so an unreadable value can be skipped
                } catch (RuntimeException ex) {
                    LOG.warn("reminder check: skipped a {} value that cannot be read: {}", AlarmEscalationTopology.STORE,
                            ex.getMessage());
                    continue;
                }
                int before = kv.value.alerts.size();
                List<AlarmNotice> out = policy.tick(kv.value, kv.key);
                for (AlarmNotice n : out) {
                    LOG.info("bed {}: alert {} {} {}{}", kv.key, n.alertId(), n.kind(), n.number(),
                            n.targetRole() == null ? "" : " to " + n.targetRole());
                    ctx.forward(new Record<>(kv.key, Topics.ALARM_NOTICES.valueSerde().serializer().serialize(
                            Topics.ALARM_NOTICES.name(), n), timestamp), AlarmEscalationTopology.SINK_NOTICES);
                }
                if (!out.isEmpty() || kv.value.alerts.size() != before) {
                    changed.add(kv);
                }
            }
        }
        changed.forEach(kv -> save(kv.key, kv.value));
    }

    private void save(String bed, BedEscalations s) {
        if (s.isEmpty()) {
            store.delete(bed);
        } else {
            store.put(bed, s);
        }
    }

    private static void sameBed(String key, String bedId) {
        if (!key.equals(bedId)) {
            throw new IllegalArgumentException("record key " + key + " does not match its bed id " + bedId);
        }
    }
}
