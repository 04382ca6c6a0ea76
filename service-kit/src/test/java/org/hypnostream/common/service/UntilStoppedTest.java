package org.hypnostream.common.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntilStoppedTest {

    @Test
    void aDeadWorkerClosesTheServiceAndSaysWhyOnOneLine() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        RunningService s = new RunningService() {
            @Override
            public String name() {
                return "relay-test";
            }

            @Override
            public CompletableFuture<Throwable> failure() {
                return failure;
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        failure.complete(new IllegalStateException("relay of gateway gw-1 stopped:\n broken", new ThreadDeath()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = UntilStopped.run(s, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(UntilStopped.FAILED);
        assertThat(closed).hasValue(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "hypnostream relay-test failed: relay of gateway gw-1 stopped: broken (cause: java.lang.ThreadDeath)\n");
    }
}
