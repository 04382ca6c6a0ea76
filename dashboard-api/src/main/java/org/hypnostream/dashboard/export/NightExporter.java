package org.hypnostream.dashboard.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.hypnostream.dashboard.feed.KafkaFeed;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code export-edf --bed ID --out FILE}: reads the event topics to their end, rebuilds the bed's night, writes EDF+C. */
public final class NightExporter {
    private static final Logger LOG = LoggerFactory.getLogger(NightExporter.class);

    private NightExporter() {
    }

    /** Exports one bed's night; returns the number of annotations. Throws IllegalArgumentException for an unknown bed. */
    public static int export(String bootstrapServers, String bedId, Path out, Duration timeout) throws IOException {
        return export(bootstrapServers, java.util.Map.of(), bedId, out, timeout);
    }

    /** As above, with extra Kafka consumer properties ({@code kafka.*} settings: TLS, SASL, ...). */
    public static int export(String bootstrapServers, java.util.Map<String, String> kafkaSettings, String bedId, Path out,
            Duration timeout) throws IOException {
        WardState state = new WardState(InstantSource.system());
        KafkaFeed.readToEnd(bootstrapServers, kafkaSettings, timeout, e -> {
            try {
                state.apply(e);
            } catch (IllegalArgumentException bad) {
                LOG.warn("export: event skipped: {}", bad.getMessage());
            }
        }, d -> LOG.warn("export: undecodable record {}-{}@{}: {}", d.sourceTopic(), d.partition(), d.offset(), d.reason()));
        BedNight night = state.bed(bedId).orElseThrow(() -> new IllegalArgumentException(
                "bed " + bedId + " has no events on the event topics at " + bootstrapServers));
        return export(night, out);
    }

    /** Writes an already built night to {@code out} (atomically: a temp file then a move). */
    public static int export(BedNight night, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        int n;
        try (OutputStream o = Files.newOutputStream(tmp)) {
            n = EdfPlusWriter.write(night, o);
        }
        Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LOG.info("exported bed {}: {} annotations to {}", night.bedId(), n, abs);
        return n;
    }
}
