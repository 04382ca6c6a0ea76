package org.hypnostream.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM's main for {@link WorkerDeathIT}: runs the launcher ({@code args[2..]}) and, once the service answers
 * 200 at its ready address ({@code args[1]}), kills its worker thread whose name matches the regular expression {@code args[0]}
 * ({@link Thread#stop()}: a {@link ThreadDeath} thrown inside it, as a thread dying of an error would).
 * Exits 99 if there is no such thread, so that the test cannot pass by killing nothing.
 */
public final class KillWorkerMain {
    static final int NO_SUCH_THREAD = 99;

    private KillWorkerMain() {
    }

    public static void main(String[] args) {
        String prefix = args[0];
        URI ready = URI.create(args[1]);
        Thread killer = new Thread(() -> killWhenReady(prefix, ready), "test-worker-killer");
        killer.setDaemon(true);
        killer.start();
        HypnostreamMain.main(Arrays.copyOfRange(args, 2, args.length));
    }

    @SuppressWarnings("removal")
    private static void killWhenReady(String prefix, URI ready) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the service is starting: ask again
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().matches(prefix)) {
                System.out.println("test: killing thread " + t.getName());
                t.stop();
                return;
            }
        }
        System.out.println("test: no thread named like " + prefix);
        System.exit(NO_SUCH_THREAD);
    }
}
