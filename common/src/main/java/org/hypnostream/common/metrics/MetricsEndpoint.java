package org.hypnostream.common.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A tiny HTTP server exposing Prometheus text at {@code /metrics} for services that have no web server of their
 * own (gateway, stream processor, inference). The scrape function is usually {@code PrometheusMeterRegistry::scrape}.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Starts on {@code host:port} (port 0 = any free port). */
    public static MetricsEndpoint start(String host, int port, Supplier<String> scrape) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
            s.createContext("/metrics", ex -> {
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            s.createContext("/health", ex -> {
                byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            s.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            return new MetricsEndpoint(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start metrics endpoint on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
