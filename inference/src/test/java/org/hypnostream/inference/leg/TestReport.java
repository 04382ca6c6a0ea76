package org.hypnostream.inference.leg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Measured figures of the leg tests, written to target/reports/leg-detector.txt (fresh per test JVM) and logged. */
final class TestReport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TestReport.class);
    private static final Path FILE = Path.of("target", "reports", "leg-detector.txt");

    private static boolean started;

    private TestReport() {
    }

    static synchronized void line(String text) {
        LOG.info(text);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    started ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
