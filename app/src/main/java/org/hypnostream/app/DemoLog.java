package org.hypnostream.app;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The demo's logging (Log4j 2, behind SLF4J): every log line goes to a file in the work dir; the console keeps the
 * demo's own lines and Hypnostream's warnings and errors, one line each. Kafka, Streams, ONNX Runtime and Chronicle
 * never write to the console.
 */
final class DemoLog {
    static final String FILE_PROPERTY = "hypnostream.log.file";

    private DemoLog() {
    }

    /** Switches this JVM's logging to {@code file} (created with its parent folders). */
    static void toFile(Path file) {
        System.setProperty(FILE_PROPERTY, file.toString());
        try {
            Configurator.reconfigure(DemoLog.class.getResource("/log4j2-demo.xml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad log4j2-demo.xml location", e);
        }
    }
}
