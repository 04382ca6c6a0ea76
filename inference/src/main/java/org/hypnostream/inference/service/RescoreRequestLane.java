package org.hypnostream.inference.service;

import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.RescoreRequest;
import org.hypnostream.common.event.RevisedHypnogram;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.inference.stage.SequenceStager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-demand re-score lane ({@code rescore-requests.v1} -> {@code revised-stages.v1}): a {@link RescoreRequest}
 * (a technologist or admin asked, through the dashboard, for a finished stretch) is re-scored non-causally exactly as
 * a lights-on night is ({@link NightRescorer}: the epochs starting in [from, until) of the latest session) and yields
 * one {@link RevisedHypnogram} (trigger id = request id), produced in the re-score loop's transaction together with the
 * request's offset: exactly once. A request entered more than {@link RescoreTrigger#MAX_AGE} before now is history (a
 * new consumer group reading the whole topic), answered with nothing. Stateless: nothing to rebuild or forget.
 *
 * <p>When the running stager has no re-score graph (e.g. {@code stager-features-welch-hmm-v2}) the lane still reads
 * the topic ({@link #unanswerable}): each fresh request is dead-lettered with the reason, so a request is always
 * answered, by a revised hypnogram or by a dead letter naming why there will be none (ADR 0021).
 */
public final class RescoreRequestLane implements Lane {
    private static final Logger LOG = LoggerFactory.getLogger(RescoreRequestLane.class);
    private final NightRescorer rescorer;
    private final String refusal;
    private final Tags tags;

    public RescoreRequestLane(SequenceStager stager, NightSource source) {
        this(NightRescorer.of(stager, source));
    }

    RescoreRequestLane(NightRescorer rescorer) {
        this.rescorer = rescorer;
        this.refusal = null;
        Provenance p = rescorer.provenance();
        this.tags = Tags.of("lane", name(), "model", p.modelId(), "provider", p.provider());
    }

    private RescoreRequestLane(String modelId, String provider, String refusal) {
        this.rescorer = null;
        this.refusal = refusal;
        this.tags = Tags.of("lane", name(), "model", modelId, "provider", provider);
    }

    /**
     * The lane of a stager without a re-score graph: every request younger than {@link RescoreTrigger#MAX_AGE} is
     * dead-lettered with {@link #noRescoreReason}, none is re-scored.
     */
    public static RescoreRequestLane unanswerable(String modelId, String provider) {
        return new RescoreRequestLane(modelId, provider, noRescoreReason(modelId));
    }

    /** Why a stager without a re-score graph answers no re-score request. */
    static String noRescoreReason(String modelId) {
        return "re-score request not answered: the running stager " + modelId + " has no morning re-score "
                + "(no revised graph); only a stager with one (inference.stager.model, e.g. stager-features-welch-gru-v3) "
                + "re-scores a stretch";
    }

    @Override
    public String name() {
        return "rescore";
    }

    /** Off the live path: a re-score takes a night's worth of model calls (ADR 0022). */
    @Override
    public Loop loop() {
        return Loop.RESCORE;
    }

    @Override
    public String inputTopic() {
        return Topics.RESCORE_REQUESTS.name();
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
            RescoreRequest q;
            try {
                q = BedRecords.decode(Topics.RESCORE_REQUESTS, r, RescoreRequest::bedId, "");
            } catch (RuntimeException ex) {
                out.add(Scored.deadLetter(r, "undecodable re-score request: " + ex.getMessage(), now));
                continue;
            }
            if (q.recordedAt().isBefore(now.minus(RescoreTrigger.MAX_AGE))) {
                LOG.info("bed {}: re-score request {} from {} is older than {}: not re-scored", q.bedId(),
                        q.requestId(), q.recordedAt(), RescoreTrigger.MAX_AGE);
                out.add(new Scored(tp, r.offset(), List.of()));
                continue;
            }
            if (rescorer == null) {
                out.add(Scored.deadLetter(r, refusal, now));
                continue;
            }
            RescoreTrigger.Night n = new RescoreTrigger.Night(q.bedId(), q.studyId(), q.requestId(), q.from(), q.until());
            out.add(rescorer.answer(r, n, now, "re-score request"));
        }
        return out;
    }

    /** Requests before the committed offset were answered before the restart: nothing to fold. */
    @Override
    public void rebuild(List<ConsumerRecord<String, byte[]>> history) {
    }

    @Override
    public void forget(Collection<TopicPartition> partitions) {
    }
}
