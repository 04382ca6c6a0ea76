package org.hypnostream.inference.service;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.hypnostream.common.metrics.MetricsEndpoint;
import org.hypnostream.common.service.RunningService;
import org.hypnostream.common.service.UntilStopped;
import org.hypnostream.inference.emg.EmgScreeningModel;
import org.hypnostream.inference.leg.LegMovementDetector;
import org.hypnostream.inference.leg.LegRules;
import org.hypnostream.inference.runtime.LoadedModel;
import org.hypnostream.inference.runtime.ModelCard;
import org.hypnostream.inference.runtime.ModelRegistry;
import org.hypnostream.inference.stage.SequenceStager;
import org.hypnostream.inference.stage.StageScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the inference service alone ({@code bin/hypnostream inference}) or embedded ({@code demo}): loads and checks
 * the model folder, builds the stager through a {@link StageScorerFactory} found on the class path, starts the
 * transaction loops (live, and re-score when the stager has a re-score graph or answers requests with a refusal) and
 * the /metrics endpoint. Both loops use the ONE loaded stager: its ONNX sessions are shared (OrtSession.run is
 * thread-safe; the stager keeps no per-call state outside the bed states it is given), so the re-score loop costs no
 * second copy of the graphs (ADR 0022).
 */
public final class InferenceMain implements RunningService {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceMain.class);

    private final ModelRegistry models;
    private final InferenceService service;
    private final MetricsEndpoint metrics;
    private final PrometheusMeterRegistry registry;
    private final EmgScreeningModel emgModel;

    private InferenceMain(ModelRegistry models, InferenceService service, MetricsEndpoint metrics,
            PrometheusMeterRegistry registry, EmgScreeningModel emgModel) {
        this.models = models;
        this.emgModel = emgModel;
        this.service = service;
        this.metrics = metrics;
        this.registry = registry;
    }

    /**
     * Starts with the stager {@code inference.stager.model} ({@link InferenceConfig#stagerModel()}), built by the first
     * {@link StageScorerFactory} (ServiceLoader) that supports it.
     */
    public static InferenceMain start(InferenceConfig cfg) {
        List<StageScorerFactory> factories = ServiceLoader.load(StageScorerFactory.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        return start(cfg, factories);
    }

    public static InferenceMain start(InferenceConfig cfg, List<StageScorerFactory> factories) {
        ModelRegistry models = ModelRegistry.load(cfg.modelDir(), cfg.device(), cfg.intraOpThreads());
        EmgScreeningModel emg = null;
        MetricsEndpoint endpoint = null;
        try {
            StageScorer stager = stager(models, cfg, factories);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            endpoint = cfg.metricsPort() < 0 ? null : MetricsEndpoint.start(cfg.metricsHost(), cfg.metricsPort(), registry::scrape);
            List<Lane> lanes = new ArrayList<>(List.of(new StageLane(stager, cfg.unscoredAlertEpochs(), registry),
                    new LegLane(new LegMovementDetector(LegRules.wasm2016()), registry)));
            Optional<LoadedModel> screening = models.firstForTask(ModelCard.TASK_NEUROMUSCULAR);
            if (screening.isPresent()) {
                emg = EmgScreeningModel.load(screening.get().onnxFile().resolveSibling(screening.get().id() + ".model.json"));
                lanes.add(new EmgLane(emg, registry));
            } else {
                LOG.info("no {} model in {}: emg-segments are not scored", ModelCard.TASK_NEUROMUSCULAR, cfg.modelDir());
            }
            if (stager instanceof SequenceStager seq && seq.hasRevised()) {
                NightRescorer rescorer = NightRescorer.of(seq, new KafkaNightSource(cfg, java.time.Duration.ofSeconds(60)));
                lanes.add(new RevisedLane(rescorer));
                lanes.add(new RescoreRequestLane(rescorer));
            } else {
                LOG.info("stager {} has no morning re-score: study-events are not read, rescore-requests are "
                        + "dead-lettered with the reason", stager.modelId());
                lanes.add(RescoreRequestLane.unanswerable(stager.modelId(), stager.provider()));
            }
            InferenceService service = InferenceService.start(cfg, lanes, registry, InstantSource.system());
            LOG.info("inference running: stager {} on {}, lanes {}, metrics {}", stager.modelId(), stager.provider(),
                    lanes.stream().map(Lane::name).toList(), endpoint == null ? "off" : "port " + endpoint.port());
            InferenceMain main = new InferenceMain(models, service, endpoint, registry, emg);
            if (endpoint != null) {
                endpoint.health(main);
            }
            return main;
        } catch (RuntimeException e) {
            if (endpoint != null) {
                endpoint.close(); // a failed start frees its metrics port
            }
            if (emg != null) {
                emg.close();
            }
            models.close();
            throw e;
        }
    }

    /**
     * The stager of {@code cfg.stagerModel()}: the model must be loaded from the folder, be a sleep-staging model and
     * be supported by one of {@code factories}; otherwise a refusal that names the staging models there.
     */
    static StageScorer stager(ModelRegistry models, InferenceConfig cfg, List<StageScorerFactory> factories) {
        String id = cfg.stagerModel();
        List<String> staging = models.models().stream().filter(m -> m.card().task().equals(ModelCard.TASK_STAGING))
                .map(LoadedModel::id).toList();
        LoadedModel m = models.models().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("inference.stager.model=" + id + ": no such model in "
                        + cfg.modelDir() + " (sleep-staging models there: " + staging + ")"));
        if (!m.card().task().equals(ModelCard.TASK_STAGING)) {
            throw new IllegalStateException("inference.stager.model=" + id + " is a " + m.card().task()
                    + " model, not " + ModelCard.TASK_STAGING + " (sleep-staging models in " + cfg.modelDir() + ": "
                    + staging + ")");
        }
        for (StageScorerFactory f : factories) {
            if (f.supports(m)) {
                return f.create(m);
            }
        }
        throw new IllegalStateException("inference.stager.model=" + id + ": no stager on the class path supports it "
                + "(factories: " + factories.stream().map(f -> f.getClass().getName()).toList() + ")");
    }

    public InferenceService service() {
        return service;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** -1 when the endpoint is off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return service.died();
    }

    /** Ready once the loop has its partitions and has rebuilt the beds' state. */
    @Override
    public boolean ready() {
        return live() && service.assigned();
    }

    @Override
    public void close() {
        service.close();
        if (metrics != null) {
            metrics.close();
        }
        if (emgModel != null) {
            emgModel.close();
        }
        models.close();
    }

    /** Reads the environment (HYPNOSTREAM_*), runs until the process is stopped or the loop dies. */
    public static void main(String[] args) throws InterruptedException {
        System.exit(UntilStopped.run(start(InferenceConfig.fromEnvironment(Map.of())), System.err));
    }
}
