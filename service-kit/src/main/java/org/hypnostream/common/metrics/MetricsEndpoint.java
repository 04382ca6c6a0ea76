package org.hypnostream.common.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.hypnostream.common.service.Health;

/**
 * A tiny HTTP server for services that have no web server of their own (gateway, stream processor, inference):
 * Prometheus text at {@code /metrics}, and {@code /health/live} and {@code /health/ready} (200 "ok" or 503 "no",
 * from the service's {@link Health}; {@code /health} is {@code /health/live}). The scrape function is usually
 * {@code PrometheusMeterRegistry::scrape}.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private volatile Health health = Health.STARTING;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Starts on {@code host:port} (port 0 = any free port), answering "starting" until {@link #health} is set. */
    public static MetricsEndpoint start(String host, int port, Supplier<String> scrape) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
            MetricsEndpoint endpoint = new MetricsEndpoint(s);
            s.createContext("/metrics", ex -> {
                ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                send(ex, 200, scrape.get());
            });
            s.createContext("/health/ready", ex -> answer(ex, endpoint.health.ready()));
            s.createContext("/health/live", ex -> answer(ex, endpoint.health.live()));
            s.createContext("/health", ex -> answer(ex, endpoint.health.live()));
            s.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            s.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start metrics endpoint on " + host + ":" + port, e);
        }
    }

    /** From now on the health endpoints answer for {@code service}. */
    public MetricsEndpoint health(Health service) {
        this.health = Objects.requireNonNull(service, "service");
        return this;
    }

    private static void answer(HttpExchange ex, boolean ok) throws IOException {
        send(ex, ok ? 200 : 503, ok ? "ok\n" : "no\n");
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
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
