package org.hypnostream.inference.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NON-causal re-score of one stretch of a bed's recording, shared by the lights-on lane ({@link RevisedLane}) and
 * the on-demand lane ({@link RescoreRequestLane}): reads the stretch's epochs ({@link NightSource}), keeps the latest
 * session's, one per index ({@link RescoreTrigger#lastSession}), re-scores them ({@link SequenceStager#reviseNight})
 * and builds the {@link RevisedHypnogram}. Stateless.
 */
final class NightRescorer {
    private static final Logger LOG = LoggerFactory.getLogger(NightRescorer.class);
    private final NightSource source;
    private final Function<List<Epoch>, List<StageResult>> reviser;
    private final Provenance provenance;

    NightRescorer(NightSource source, Function<List<Epoch>, List<StageResult>> reviser, Provenance provenance) {
        this.source = source;
        this.reviser = reviser;
        this.provenance = provenance;
    }

    /** The re-score of {@code stager}'s re-score graph; refused when the stager was built without it. */
    static NightRescorer of(SequenceStager stager, NightSource source) {
        if (!stager.hasRevised()) {
            throw new IllegalArgumentException("model " + stager.modelId() + " built without its revised graph");
        }
        return new NightRescorer(source, stager::reviseNight,
                Provenance.model(stager.modelId(), stager.modelSha256(), stager.provider()));
    }

    Provenance provenance() {
        return provenance;
    }

    /** The revised hypnogram of a stretch (every epoch of its latest session in it, in index order). */
    RevisedHypnogram revise(RescoreTrigger.Night n, Instant now) {
        List<Epoch> epochs = RescoreTrigger.lastSession(source.epochs(n));
        List<StageResult> results = epochs.isEmpty() ? List.of() : reviser.apply(epochs);
        if (results.size() != epochs.size()) {
            throw new IllegalStateException("re-score of bed " + n.bedId() + ": " + results.size() + " results for "
                    + epochs.size() + " epochs");
        }
        List<RevisedHypnogram.RevisedEpoch> rows = new ArrayList<>(epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            StageResult r = results.get(i);
            long start = e.sessionStartMicros() + e.index() * Epoch.EPOCH_MICROS;
            boolean flagged = r.stage() == Stage.UNSCORED || r.fromPriorOnly();
            rows.add(new RevisedHypnogram.RevisedEpoch(e.index(), Micros.toInstant(start),
                    Micros.toInstant(start + Epoch.EPOCH_MICROS), r.stage(), r.probabilities(), r.fromPriorOnly(),
                    flagged ? r.reason() : null));
        }
        LOG.info("bed {} study {}: re-score of {} epochs (trigger {})", n.bedId(), n.studyId(), rows.size(),
                n.triggerEventId());
        return RevisedHypnogram.of(n.bedId(), n.studyId(), n.triggerEventId(), n.from(), n.until(), provenance, now,
                rows);
    }

    static ProducerRecord<String, byte[]> record(RevisedHypnogram h) {
        return new ProducerRecord<>(Topics.REVISED_STAGES.name(), h.bedId(),
                Topics.REVISED_STAGES.valueSerde().serializer().serialize(Topics.REVISED_STAGES.name(), h));
    }

    /**
     * The revised hypnogram of {@code night} as the answer to input record {@code r}. A failed re-score is logged and
     * dead-lettered ("{@code what} failed: ..."), never thrown: it must not stop the re-score loop.
     */
    Scored answer(ConsumerRecord<String, byte[]> r, RescoreTrigger.Night night, Instant now, String what) {
        try {
            return new Scored(new TopicPartition(r.topic(), r.partition()), r.offset(), List.of(record(revise(night, now))));
        } catch (RuntimeException ex) {
            LOG.warn("bed {}: {} failed: {}", night.bedId(), what, ex.toString(), ex);
            return Scored.deadLetter(r, what + " failed: " + ex.getMessage(), now);
        }
    }
}
