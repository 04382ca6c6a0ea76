package org.hypnostream.app;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a service command running until the process is told to stop (SIGTERM, Ctrl-C), then closes it. */
final class UntilStopped {
    private static final Logger LOG = LoggerFactory.getLogger(UntilStopped.class);

    private UntilStopped() {
    }

    /** Blocks until shutdown; closes {@code service} from the shutdown hook before the JVM exits. */
    static void await(String name, AutoCloseable service) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                LOG.warn("{}: close failed: {}", name, e.toString());
            } finally {
                closed.countDown();
            }
        }, name + "-shutdown"));
        closed.await();
    }
}
