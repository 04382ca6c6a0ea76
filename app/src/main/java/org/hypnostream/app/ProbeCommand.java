package org.hypnostream.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hypnostream probe URL}: exit 0 when the URL answers 200, else 1 with one line saying what it got; the
 * containers' healthcheck ({@code /health/ready} of each service) without curl in the image.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Exit 0 if URL answers HTTP 200 (e.g. a service's /health/ready), else 1; for container healthchecks.")
final class ProbeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The address to ask, e.g. http://localhost:9101/health/ready.")
    URI url;

    @Option(names = "--timeout", defaultValue = "5", description = "Seconds to wait for the answer (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build();
        try {
            int status = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(timeoutSeconds)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return 0;
            }
            System.err.println("probe " + url + ": HTTP " + status);
        } catch (IOException e) {
            System.err.println("probe " + url + ": " + e);
        }
        return 1;
    }
}
