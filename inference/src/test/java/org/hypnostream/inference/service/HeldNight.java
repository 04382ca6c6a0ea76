package org.hypnostream.inference.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.inference.stage.StageResult;

/**
 * A test night source that holds the re-score of the beds in {@code held} in progress until {@link #release()} (at most
 * {@code deadline}, then the re-score fails and is dead-lettered), and a fake non-causal re-scorer: every epoch N2.
 * The night itself: epochs 0..{@code epochs}-1 of the bed ({@link TestEpochs}), whatever the stretch asked.
 */
final class HeldNight implements NightSource {
    static final Provenance V3 = Provenance.model("stager-features-welch-gru-v3", "ef".repeat(32), "CPU");

    private final Set<String> held;
    private final int epochs;
    private final Duration deadline;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HeldNight(Set<String> held, int epochs, Duration deadline) {
        this.held = Set.copyOf(held);
        this.epochs = epochs;
        this.deadline = deadline;
    }

    @Override
    public List<Epoch> epochs(RescoreTrigger.Night night) {
        if (held.contains(night.bedId())) {
            entered.countDown();
            try {
                if (!released.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("bed " + night.bedId() + ": held re-score not released within "
                            + deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
        List<Epoch> out = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            out.add(TestEpochs.epoch(night.bedId(), i, false));
        }
        return out;
    }

    /** Waits until a held bed's re-score is in progress. */
    boolean awaitEntered(Duration timeout) throws InterruptedException {
        return entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isReleased() {
        return released.getCount() == 0;
    }

    void release() {
        released.countDown();
    }

    /** The re-score of this source's nights (fake: every epoch N2). */
    NightRescorer rescorer() {
        return new NightRescorer(this, night -> night.stream()
                .map(e -> new StageResult(Stage.N2, List.of(0.1, 0.1, 0.6, 0.1, 0.1), false, null, null)).toList(), V3);
    }
}
