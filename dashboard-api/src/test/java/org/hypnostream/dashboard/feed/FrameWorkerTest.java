package org.hypnostream.dashboard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.junit.jupiter.api.Test;

class FrameWorkerTest {
    /** A small display frame standing for record {@code i}. */
    private static DashboardEvent frame(int i) {
        return new DashboardEvent.OfEegFrame(new EegFrame("bed-1", i, Instant.EPOCH, "Fpz-Cz", List.of(), new float[0][], 1, 1,
                java.util.Set.of()));
    }

    private static void awaitSize(List<?> l, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.size() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
    }

    @Test
    void decodesOffTheCallersThreadInSubmissionOrderAndDropsNulls() throws Exception {
        List<DashboardEvent> got = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (FrameWorker<Integer> w = new FrameWorker<>("test-frames", 8, i -> {
            threads.add(Thread.currentThread().getName());
            return i % 5 == 0 ? null : frame(i);
        }, got::addAll)) {
            for (int b = 0; b < 10; b++) {
                List<Integer> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    batch.add(b * 3 + i);
                }
                assertThat(w.submit(batch, () -> true)).isTrue();
            }
            awaitSize(got, 24);
        }
        List<Long> want = new ArrayList<>();
        for (long i = 0; i < 30; i++) {
            if (i % 5 != 0) {
                want.add(i);
            }
        }
        assertThat(got).extracting(e -> ((DashboardEvent.OfEegFrame) e).value().epochIndex()).containsExactlyElementsOf(want);
        assertThat(threads).containsOnly("test-frames");
    }

    @Test
    void aFullQueueHoldsTheFeedBackUntilRoomOrStop() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<DashboardEvent> got = Collections.synchronizedList(new ArrayList<>());
        try (FrameWorker<Integer> w = new FrameWorker<>("test-frames", 2, i -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return frame(i);
        }, got::addAll)) {
            assertThat(w.submit(List.of(1, 2), () -> true)).isTrue();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                running.set(false);
            });
            stopper.start();
            // the queue holds 2 records and the worker is stuck on them: the next submit waits until running is false
            assertThat(w.submit(List.of(3), running::get)).isFalse();
            stopper.join();
            release.countDown();
            assertThat(w.submit(List.of(4), () -> true)).isTrue();
            awaitSize(got, 3);
        }
        assertThat(got).extracting(e -> ((DashboardEvent.OfEegFrame) e).value().epochIndex()).containsExactly(1L, 2L, 4L);
    }
}
