package org.hypnostream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Port picking: free 127.0.0.1 ports for a broker's listeners, picked before it starts and kept across restarts so
 * that clients reconnect. The OS picks a port that is free now; another process may still take it before the broker
 * binds it (loopback tests accept that).
 */
final class BrokerPorts {
    private BrokerPorts() {
    }

    /** A port free on 127.0.0.1 now. */
    static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** A free port not in {@code taken}; adds it to {@code taken}. */
    static int freeExcept(Set<Integer> taken) {
        int p = free();
        while (!taken.add(p)) {
            p = free();
        }
        return p;
    }
}
