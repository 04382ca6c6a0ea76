package org.hypnostream.dashboard.feed;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.event.AlertAction;
import org.hypnostream.common.event.DeadLetter;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.topic.Topic;
import org.hypnostream.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alert actions, study marks and bedside events (idempotent producer, acks=all) and dead letters. */
public final class KafkaPublisher implements AlertActionSink, StudySink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private final KafkaProducer<String, AlertAction> actions;
    private final KafkaProducer<String, DeadLetter> deadLetters;
    private final KafkaProducer<String, StudyEvent> studyEvents;
    private final KafkaProducer<String, BedsideEvent> bedsideEvents;
    private final KafkaProducer<String, org.hypnostream.common.review.ReviewEvent> reviewEvents;
    private final KafkaProducer<String, org.hypnostream.common.event.RescoreRequest> rescoreRequests;

    public KafkaPublisher(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** @param kafkaSettings extra client properties (TLS, SASL, ...); idempotence and acks=all are set over them */
    public KafkaPublisher(String bootstrapServers, Map<String, String> kafkaSettings) {
        Map<String, Object> p = KafkaClients.ordered(KafkaClients.client(bootstrapServers, kafkaSettings));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-actions");
        actions = new KafkaProducer<>(p, Topics.ALERT_ACTIONS.keySerde().serializer(), Topics.ALERT_ACTIONS.valueSerde().serializer());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-dead-letters");
        deadLetters = new KafkaProducer<>(p, Topics.DEAD_LETTER.keySerde().serializer(), Topics.DEAD_LETTER.valueSerde().serializer());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-study-events");
        studyEvents = new KafkaProducer<>(p, Topics.STUDY_EVENTS.keySerde().serializer(), Topics.STUDY_EVENTS.valueSerde().serializer());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-bedside-events");
        bedsideEvents = new KafkaProducer<>(p, Topics.BEDSIDE_EVENTS.keySerde().serializer(),
                Topics.BEDSIDE_EVENTS.valueSerde().serializer());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-review-events");
        reviewEvents = new KafkaProducer<>(p, Topics.REVIEW_EVENTS.keySerde().serializer(),
                Topics.REVIEW_EVENTS.valueSerde().serializer());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hypnostream-dashboard-rescore-requests");
        rescoreRequests = new KafkaProducer<>(p, Topics.RESCORE_REQUESTS.keySerde().serializer(),
                Topics.RESCORE_REQUESTS.valueSerde().serializer());
    }

    @Override
    public CompletionStage<Void> publish(org.hypnostream.common.review.ReviewEvent event) {
        return send(reviewEvents, Topics.REVIEW_EVENTS, event.bedId(), event);
    }

    @Override
    public CompletionStage<Void> publish(org.hypnostream.common.event.RescoreRequest request) {
        return send(rescoreRequests, Topics.RESCORE_REQUESTS, request.bedId(), request);
    }

    @Override
    public CompletionStage<Void> publish(StudyEvent event) {
        return send(studyEvents, Topics.STUDY_EVENTS, event.bedId(), event);
    }

    @Override
    public CompletionStage<Void> publish(BedsideEvent event) {
        return send(bedsideEvents, Topics.BEDSIDE_EVENTS, event.bedId(), event);
    }

    private static <V> CompletionStage<Void> send(KafkaProducer<String, V> producer, Topic<String, V> topic, String bed, V value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic.name(), bed, value), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public CompletionStage<Void> publish(AlertAction action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        actions.send(new ProducerRecord<>(Topics.ALERT_ACTIONS.name(), action.bedId(), action), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    public void deadLetter(DeadLetter d) {
        deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTER.name(), d.key(), d), (md, e) -> {
            if (e != null) {
                LOG.error("dead letter for {}-{}@{} could not be written: {}", d.sourceTopic(), d.partition(), d.offset(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        actions.close();
        deadLetters.close();
        studyEvents.close();
        bedsideEvents.close();
        reviewEvents.close();
        rescoreRequests.close();
    }
}
