package org.hypnostream.inference.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaClients;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.common.config.ModelsFolder;

/**
 * Configuration of the inference service (see the module README for the table).
 *
 * @param lookBackEpochs      epochs per input partition re-read before the committed offset to rebuild per-bed causal
 *                            state after a restart or rebalance
 * @param unscoredAlertEpochs consecutive UNSCORED / prior-only epochs of one bed that raise UNSCORED_PERSISTENT
 * @param metricsPort         Prometheus /metrics port; 0 = any free port, -1 = no endpoint
 * @param intraOpThreads      ONNX Runtime intra-op threads per model session; 0 = ORT default (one per core)
 * @param kafkaSettings       Kafka client properties ({@code kafka.*} keys, prefix stripped: TLS, SASL, timeouts) given
 *                            to every consumer and producer of the service; the settings exactly-once needs
 *                            (transactional id, idempotence, acks, isolation level, group, offsets) are set by the
 *                            service over them
 * @param stagerModel         id of the sleep-staging model the stage lane uses ({@code inference.stager.model}; its
 *                            card {@code <id>.model.json} must be in {@code modelDir}, else the service refuses to
 *                            start naming the staging models it found)
 * @param metricsHost         address the /metrics and /health endpoint binds ({@code inference.metrics.host}, default
 *                            0.0.0.0; tests bind 127.0.0.1)
 */
public record InferenceConfig(
        String bootstrapServers,
        Path modelDir,
        String device,
        String instanceId,
        int batchSize,
        Duration batchWait,
        int lookBackEpochs,
        int unscoredAlertEpochs,
        int metricsPort,
        int intraOpThreads,
        Map<String, String> kafkaSettings,
        String stagerModel,
        String metricsHost) {

    public static final String GROUP_ID = "hypnostream-inference";
    /** The re-score loop's group ({@link Loop#RESCORE}, ADR 0022); its transactional ids are {@code <this>-<instance id>}. */
    public static final String RESCORE_GROUP_ID = GROUP_ID + "-rescore";
    /** The default sleep stager: v3 (GRU over the last 20 epochs, ADR 0008). */
    public static final String DEFAULT_STAGER = "stager-features-welch-gru-v3";
    private static final String MODEL_ID = "[A-Za-z0-9._-]{1,200}";
    /** Default of {@code inference.metrics.host}: every address, as the stream processor's {@code stream.metrics.host}. */
    public static final String DEFAULT_METRICS_HOST = "0.0.0.0";

    /** Without extra Kafka client settings, with the default stager. */
    public InferenceConfig(String bootstrapServers, Path modelDir, String device, String instanceId, int batchSize,
            Duration batchWait, int lookBackEpochs, int unscoredAlertEpochs, int metricsPort, int intraOpThreads) {
        this(bootstrapServers, modelDir, device, instanceId, batchSize, batchWait, lookBackEpochs, unscoredAlertEpochs,
                metricsPort, intraOpThreads, Map.of());
    }

    /** With /metrics on every address (0.0.0.0). */
    public InferenceConfig(String bootstrapServers, Path modelDir, String device, String instanceId, int batchSize,
            Duration batchWait, int lookBackEpochs, int unscoredAlertEpochs, int metricsPort, int intraOpThreads,
            Map<String, String> kafkaSettings, String stagerModel) {
        this(bootstrapServers, modelDir, device, instanceId, batchSize, batchWait, lookBackEpochs, unscoredAlertEpochs,
                metricsPort, intraOpThreads, kafkaSettings, stagerModel, DEFAULT_METRICS_HOST);
    }

    /** With the default stager. */
    public InferenceConfig(String bootstrapServers, Path modelDir, String device, String instanceId, int batchSize,
            Duration batchWait, int lookBackEpochs, int unscoredAlertEpochs, int metricsPort, int intraOpThreads,
            Map<String, String> kafkaSettings) {
        this(bootstrapServers, modelDir, device, instanceId, batchSize, batchWait, lookBackEpochs, unscoredAlertEpochs,
                metricsPort, intraOpThreads, kafkaSettings, DEFAULT_STAGER);
    }

    public InferenceConfig {
        kafkaSettings = kafkaSettings == null ? Map.of() : Map.copyOf(kafkaSettings);
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(batchWait, "batchWait");
        Objects.requireNonNull(stagerModel, "stagerModel");
        Objects.requireNonNull(metricsHost, "metricsHost");
        if (!stagerModel.matches(MODEL_ID)) {
            throw new IllegalArgumentException("inference.stager.model '" + stagerModel + "' is not a model id ("
                    + MODEL_ID + ")");
        }
        if (!Set.of("auto", "cuda", "cpu").contains(device)) {
            throw new IllegalArgumentException("inference.device=" + device + " is not one of auto, cuda, cpu");
        }
        if (batchSize < 1 || batchWait.isNegative() || lookBackEpochs < 0 || unscoredAlertEpochs < 1
                || metricsPort < -1 || metricsPort > 65535 || intraOpThreads < 0) {
            throw new IllegalArgumentException("bad inference config: batch " + batchSize + ", wait " + batchWait
                    + ", look-back " + lookBackEpochs + ", unscored alert " + unscoredAlertEpochs + ", port " + metricsPort
                    + ", threads " + intraOpThreads);
        }
        String bad = instanceIdProblem(instanceId);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
    }

    /**
     * Why {@code id} cannot be an instance id, or null. Ids starting with {@code rescore-} are refused: instance
     * {@code rescore-x}'s live transactional id would be instance {@code x}'s re-score one (ADR 0022).
     */
    static String instanceIdProblem(String id) {
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            return "inference.instance.id '" + id + "' must match [A-Za-z0-9._-]{1,100}";
        }
        if (id.startsWith("rescore-")) {
            return "inference.instance.id '" + id + "' must not start with 'rescore-' (its transactional id "
                    + GROUP_ID + "-" + id + " is that of instance " + id.substring(8) + "'s re-score loop)";
        }
        return null;
    }

    /** Transactional id of this instance's live loop producer (stable across restarts, unique per instance). */
    public String transactionalId() {
        return Loop.LIVE.transactionalId(this);
    }

    /** Never prints Kafka setting values (they may hold passwords), only their keys. */
    @Override
    public String toString() {
        return "InferenceConfig[bootstrapServers=" + bootstrapServers + ", kafkaSettings=" + kafkaSettings.keySet() + ", ...]";
    }

    /** This configuration with {@code settings} as its Kafka client settings. */
    public InferenceConfig withKafkaSettings(Map<String, String> settings) {
        return new InferenceConfig(bootstrapServers, modelDir, device, instanceId, batchSize, batchWait, lookBackEpochs,
                unscoredAlertEpochs, metricsPort, intraOpThreads, settings, stagerModel, metricsHost);
    }

    /** This configuration with {@code id} as its sleep stager. */
    public InferenceConfig withStagerModel(String id) {
        return new InferenceConfig(bootstrapServers, modelDir, device, instanceId, batchSize, batchWait, lookBackEpochs,
                unscoredAlertEpochs, metricsPort, intraOpThreads, kafkaSettings, id, metricsHost);
    }

    /** The start of every client's properties: the {@code kafka.*} settings, then the bootstrap servers. */
    public Map<String, Object> kafkaClient() {
        return KafkaClients.client(bootstrapServers, kafkaSettings);
    }

    /**
     * The service's configuration from HYPNOSTREAM_* environment variables, system properties and {@code overrides}
     * (highest precedence), every {@code kafka.*} key included; refused as a whole when any key is bad.
     */
    public static InferenceConfig fromEnvironment(Map<String, String> overrides) {
        ConfigReader r = ConfigReader.fromEnvironment(overrides);
        InferenceConfig cfg = fromEnvironment(r);
        r.validate();
        return cfg.withKafkaSettings(KafkaOverrides.fromEnvironment(overrides));
    }

    /** Reads every key (documented in {@code reader.describe()}); the caller calls {@code reader.validate()}. */
    public static InferenceConfig fromEnvironment(ConfigReader r) {
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        Path models = ModelsFolder.read(r);
        String device = r.oneOf("inference.device", "auto", Set.of("auto", "cuda", "cpu"),
                "execution provider: auto (CUDA if present, else CPU), cuda (fail if unusable), cpu");
        String id = r.string("inference.instance.id", "inference-1",
                "unique per instance; static group member id and transactional.id suffix (not starting with rescore-)");
        int batch = r.intInRange("inference.batch.size", 64, 1, 4096, "largest micro-batch (inputs per model call)");
        int waitMs = r.intInRange("inference.batch.wait.ms", 5, 0, 10_000,
                "longest an input waits for a batch to fill");
        int lookBack = r.intInRange("inference.lookback.epochs", 1200, 0, 1_000_000,
                "records per input partition re-read to rebuild causal state after restart");
        int unscored = r.intInRange("inference.unscored.alert.epochs", 3, 1, 10_000,
                "consecutive unscored epochs that raise a technical UNSCORED_PERSISTENT alert");
        int port = r.intInRange("inference.metrics.port", 9404, -1, 65535,
                "Prometheus /metrics port (0 any, -1 off)");
        String host = r.string("inference.metrics.host", DEFAULT_METRICS_HOST, "address of the /metrics endpoint");
        int threads = r.intInRange("inference.threads", 1, 0, 256,
                "ONNX Runtime intra-op threads per model (0 = one per core; 1 avoids spinning pools on shared CPUs)");
        String stager = r.string("inference.stager.model", DEFAULT_STAGER,
                "id of the sleep-staging model (card <id>.model.json in models.dir) the stage lane uses");
        if (!stager.matches(MODEL_ID)) {
            r.problem("inference.stager.model '" + stager + "' is not a model id (" + MODEL_ID + ")");
            stager = DEFAULT_STAGER;
        }
        if (instanceIdProblem(id) != null) {
            r.problem(instanceIdProblem(id));
            id = "inference-1";
        }
        return new InferenceConfig(bootstrap, models, device, id, batch, Duration.ofMillis(waitMs), lookBack, unscored,
                port, threads, Map.of(), stager, host);
    }
}
