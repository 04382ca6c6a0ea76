package org.hypnostream.inference.service;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hypnostream.inference.stage.StageScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference service: one {@link TransactionLoop} per {@link Loop} its lanes run on, each with its own thread,
 * consumer group member and transactional producer (ADR 0022). The live lanes (stage, leg, EMG) run on the live
 * loop; the re-score lanes ({@link RevisedLane}, {@link RescoreRequestLane}) on the re-score loop, so a morning
 * re-score never holds a live epoch back. Each loop commits its outputs with its input offsets in one transaction:
 * a crash at any point yields every event and every revised hypnogram exactly once after the restart.
 */
public final class InferenceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    private final InferenceConfig cfg;
    private final List<TransactionLoop> loops;
    private final CompletableFuture<Throwable> died = new CompletableFuture<>();

    private InferenceService(InferenceConfig cfg, List<TransactionLoop> loops) {
        this.cfg = cfg;
        this.loops = List.copyOf(loops);
        loops.forEach(l -> l.died().thenAccept(died::complete));
    }

    /** Starts the service with the stage lane only. */
    public static InferenceService start(InferenceConfig cfg, StageScorer stager, MeterRegistry registry,
            InstantSource clock) {
        return start(cfg, List.of(new StageLane(stager, cfg.unscoredAlertEpochs(), registry)), registry, clock);
    }

    /** Starts the service with any lanes, each on its own input topic, on the loop each names ({@link Lane#loop()}). */
    public static InferenceService start(InferenceConfig cfg, List<Lane> lanes, MeterRegistry registry,
            InstantSource clock) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("inference service without lanes");
        }
        List<TransactionLoop> loops = new ArrayList<>();
        for (Loop loop : Loop.values()) {
            List<Lane> mine = lanes.stream().filter(l -> l.loop() == loop).toList();
            if (!mine.isEmpty()) {
                loops.add(new TransactionLoop(cfg, loop, mine, registry, clock));
            }
        }
        InferenceService s = new InferenceService(cfg, loops);
        loops.forEach(TransactionLoop::start);
        LOG.info("inference {} started: {}, batch {} / {} ms, look-back {}", cfg.instanceId(),
                loops.stream().map(l -> l.loop().tag() + " loop " + l.laneNames()).toList(), cfg.batchSize(),
                cfg.batchWait().toMillis(), cfg.lookBackEpochs());
        return s;
    }

    /** Waits until every loop's first partition assignment (and state rebuild) is done. */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TransactionLoop l : loops) {
            if (!l.awaitAssignment(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** True while every loop runs. */
    public boolean isRunning() {
        return loops.stream().allMatch(TransactionLoop::isRunning);
    }

    /** Completes with the cause when a loop stops on its own (never on {@link #close()}). */
    public CompletableFuture<Throwable> died() {
        return died;
    }

    /** True once every loop's first partition assignment (and state rebuild) is done. */
    public boolean assigned() {
        return loops.stream().allMatch(TransactionLoop::assigned);
    }

    /** Why a loop stopped on its own (the first found), or null. */
    public Throwable failure() {
        return loops.stream().map(TransactionLoop::failure).filter(f -> f != null).findFirst().orElse(null);
    }

    /** Stops every loop; inputs not yet committed are scored again by the next instance (nothing is lost). */
    @Override
    public void close() {
        loops.forEach(TransactionLoop::stop);
        try {
            for (TransactionLoop l : loops) {
                if (!l.awaitStopped(STOP_DEADLINE)) {
                    LOG.error("inference {} did not stop within {}", l.name(), STOP_DEADLINE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("inference {} stopped", cfg.instanceId());
    }
}
