package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.ingest.Gateway;
import org.hypnostream.ingest.GatewayOptions;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.inference.service.InferenceConfig;
import org.hypnostream.inference.service.InferenceMain;
import org.hypnostream.stream.StreamProcessorMain;

/**
 * A 2-minute synthetic night (bed-1) through the gateway, the stream processor and the inference service, each
 * configured only by its own {@code kafka.*} settings (TLS, SASL): what the Kafka security tests run.
 */
final class NightOverKafka {
    static final long BLOCKS = 2 * 120; // 2 minutes at 256 Hz and at 200 Hz, 1-s blocks
    static final long EPOCHS = 4; // 2 minutes of 30-s epochs

    /** What reached Kafka: blocks the gateway delivered, epochs and stage events (read as super user, plaintext). */
    record Night(long delivered, List<Epoch> epochs, List<byte[]> stageEvents) {
    }

    private NightOverKafka() {
    }

    /**
     * Runs the night: the stream processor (spine and PLM) in a thread, the inference service and the gateway, until
     * the stream processor wrote {@link #EPOCHS} epochs, inference as many stage events and {@code alsoDone} holds;
     * then {@code whileRunning} (e.g. the dashboard) before the services stop.
     */
    static Night run(EmbeddedKafka kafka, Path dir, String over, Map<String, String> streamSettings,
            Map<String, String> inferenceSettings, Map<String, String> gatewaySettings, BooleanSupplier alsoDone,
            ThrowingRunnable whileRunning) throws Exception {
        Map<String, String> streamEnv = new HashMap<>(streamSettings);
        streamEnv.putAll(Map.of("stream.state.dir", dir.resolve("streams").toString(), "stream.metrics.host", "127.0.0.1",
                "stream.metrics.port", "0"));
        CompletableFuture<Void> streams = new CompletableFuture<>();
        Thread streamThread = new Thread(() -> {
            try {
                StreamProcessorMain.run(streamEnv); // runs until interrupted
                streams.complete(null);
            } catch (InterruptedException e) {
                streams.complete(null);
            } catch (RuntimeException | Error e) {
                streams.completeExceptionally(e);
            }
        }, "stream-processor-over-" + over);
        streamThread.start();
        Night night;
        try {
            Map<String, String> inferenceEnv = new HashMap<>(inferenceSettings);
            inferenceEnv.putAll(Map.of("models.dir", SpineEndToEndIT.MODELS.toString(), "inference.device", "cpu",
                    "inference.instance.id", over + "-1", "inference.metrics.port", "-1"));
            try (InferenceMain inference = InferenceMain.start(InferenceConfig.fromEnvironment(inferenceEnv))) {
                Map<String, String> gatewayEnv = new HashMap<>(gatewaySettings);
                gatewayEnv.putAll(Map.of("gateway.id", "gw-" + over, "gateway.outbox.dir", dir.resolve("outbox").toString(),
                        "gateway.speed", "max", "gateway.metrics.port", "-1"));
                GatewayOptions o = GatewayOptions.fromEnvironment(gatewayEnv);
                Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                List<AmplifierSource> beds = List.of(new SyntheticAmplifier("bed-1", 1, start, Duration.ofMinutes(2)));
                long delivered;
                try (Gateway g = Gateway.start(o.gateway(), beds, InstantSource.system(), new SimpleMeterRegistry())) {
                    g.awaitSourcesDrained(Duration.ofMinutes(2));
                    delivered = g.stats().blocksDelivered();
                }

                Map<String, Object> superUser = Map.of("bootstrap.servers", kafka.bootstrapServers());
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                List<Epoch> epochs = SpineEndToEndIT.readEpochs(kafka.bootstrapServers());
                List<byte[]> stageEvents = KafkaSaslAclIT.readCommitted(superUser, Topics.STAGE_EVENTS.name());
                while (epochs.size() < EPOCHS || stageEvents.size() < EPOCHS || !alsoDone.getAsBoolean()) {
                    assertThat(streams).as("stream processor running").isNotDone();
                    assertThat(inference.service().isRunning()).as("inference running: %s", inference.service().failure())
                            .isTrue();
                    assertThat(System.nanoTime()).as("epochs (%d), stage events (%d) and the rest over %s in time",
                            epochs.size(), stageEvents.size(), over).isLessThan(deadline);
                    Thread.sleep(500);
                    epochs = SpineEndToEndIT.readEpochs(kafka.bootstrapServers());
                    stageEvents = KafkaSaslAclIT.readCommitted(superUser, Topics.STAGE_EVENTS.name());
                }
                night = new Night(delivered, epochs, stageEvents);
                whileRunning.run();
            }
        } finally {
            streamThread.interrupt();
        }
        streams.get(60, TimeUnit.SECONDS);
        return night;
    }

    /** A step that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
