package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The morning re-score lane ({@code study-events.v1} -> {@code revised-stages.v1}): a LIGHTS_ON mark ({@link
 * RescoreTrigger}) reads the bed's night of epochs ({@link NightSource}), re-scores it non-causally ({@link
 * SequenceStager#reviseNight}) and yields one {@link RevisedHypnogram} record (key = bed), produced in the re-score loop's
 * transaction together with the mark's offset: exactly once. It writes nothing else: never stage events, alerts or
 * anything PLM reads. Its only state is the studies' admission times, rebuilt from the look-back.
 */
public final class RevisedLane implements Lane {
    private static final Logger LOG = LoggerFactory.getLogger(RevisedLane.class);
    private final RescoreTrigger trigger = new RescoreTrigger();
    private final NightRescorer rescorer;
    private final Map<String, Integer> bedPartition = new HashMap<>();
    private final Tags tags;

    public RevisedLane(SequenceStager stager, NightSource source) {
        this(NightRescorer.of(stager, source));
    }

    RevisedLane(NightSource source, Function<List<Epoch>, List<StageResult>> reviser, Provenance provenance) {
        this(new NightRescorer(source, reviser, provenance));
    }

    RevisedLane(NightRescorer rescorer) {
        this.rescorer = rescorer;
        Provenance provenance = rescorer.provenance();
        this.tags = Tags.of("lane", name(), "model", provenance.modelId(), "provider", provenance.provider());
    }

    @Override
    public String name() {
        return "revised";
    }

    /** Off the live path: a re-score takes a night's worth of model calls (ADR 0022). */
    @Override
    public Loop loop() {
        return Loop.RESCORE;
    }

    @Override
    public String inputTopic() {
        return Topics.STUDY_EVENTS.name();
    }

    @Override
    public Tags tags() {
        return tags;
    }

    @Override
    public List<Scored> score(List<ConsumerRecord<String, byte[]>> batch, Instant now) {
        List<Scored> out = new ArrayList<>(batch.size());
        for (ConsumerRecord<String, byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            StudyEvent e;
            try {
                e = BedRecords.decode(Topics.STUDY_EVENTS, r, StudyEvent::bedId, "");
            } catch (RuntimeException ex) {
                out.add(Scored.deadLetter(r, "undecodable study event: " + ex.getMessage(), now));
                continue;
            }
            bedPartition.put(e.bedId(), r.partition());
            Optional<RescoreTrigger.Night> night = trigger.on(e, now);
            if (night.isEmpty()) {
                out.add(new Scored(tp, r.offset(), List.of()));
                continue;
            }
            out.add(rescorer.answer(r, night.get(), now, "morning re-score"));
        }
        return out;
    }

    /** Folds marks already handled before a restart (admission times, seen ids); re-scores nothing. */
    @Override
    public void rebuild(List<ConsumerRecord<String, byte[]>> history) {
        for (ConsumerRecord<String, byte[]> r : history) {
            try {
                StudyEvent e = BedRecords.decode(Topics.STUDY_EVENTS, r, StudyEvent::bedId, "");
                bedPartition.put(e.bedId(), r.partition());
                trigger.on(e, e.recordedAt()); // folded only: what it would ask for was asked before
            } catch (RuntimeException ex) {
                LOG.debug("rebuild: skipping undecodable study event at {}: {}", r.offset(), ex.toString());
            }
        }
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
        Set<Integer> gone = new HashSet<>();
        partitions.stream().filter(tp -> tp.topic().equals(inputTopic())).forEach(tp -> gone.add(tp.partition()));
        bedPartition.entrySet().removeIf(b -> {
            if (gone.contains(b.getValue())) {
                trigger.forget(b.getKey());
                return true;
            }
            return false;
        });
    }
}
