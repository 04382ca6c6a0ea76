package org.hypnostream.dashboard.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ids of signed-out tokens until they would have expired anyway; optionally kept in a file (one {@code id
 * expiry-epoch-second} line per sign-out, appended and synced; rewritten without the expired ones at start).
 */
final class RevokedTokens {
    private static final Logger LOG = LoggerFactory.getLogger(RevokedTokens.class);
    private final Map<String, Instant> byId = new ConcurrentHashMap<>();
    private final Path file;
    private final InstantSource clock;
    /** Bytes of the file already read (the file only grows while instances run; it is compacted at start). */
    private long readSize = -1;

    private RevokedTokens(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    static RevokedTokens inMemory(InstantSource clock) {
        return new RevokedTokens(null, clock);
    }

    static RevokedTokens open(Path file, InstantSource clock) {
        RevokedTokens r = new RevokedTokens(file, clock);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                r.read();
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            StringBuilder live = new StringBuilder();
            r.byId.forEach((id, e) -> live.append(id).append(' ').append(e.getEpochSecond()).append('\n'));
            Files.writeString(tmp, live, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            r.readSize = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the revoked-token list " + file + ": " + e.getMessage(), e);
        }
        return r;
    }

    boolean isRevoked(String id) {
        if (file != null) {
            readIfChanged();
        }
        return byId.containsKey(id);
    }

    /** Another instance on the same directory may have appended sign-outs: read them (one stat per check). */
    private synchronized void readIfChanged() {
        try {
            long size = Files.size(file);
            if (size != readSize) {
                read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the revoked-token list " + file + ": " + e.getMessage(), e);
        }
    }

    private synchronized void read() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Instant now = clock.instant();
        int skipped = 0;
        for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split(" ");
            try {
                Instant expires = Instant.ofEpochSecond(Long.parseLong(f[1]));
                if (f.length == 2 && now.isBefore(expires)) {
                    byId.put(f[0], expires);
                }
            } catch (RuntimeException e) {
                skipped++;
            }
        }
        readSize = bytes.length;
        if (skipped > 0) {
            LOG.warn("{}: {} unreadable lines skipped", file, skipped);
        }
    }

    void revoke(String id, Instant expires) {
        if (byId.putIfAbsent(id, expires) != null) {
            return;
        }
        Instant now = clock.instant();
        byId.values().removeIf(e -> !now.isBefore(e));
        if (file != null) {
            synchronized (this) {
                try {
                    Files.writeString(file, id + " " + expires.getEpochSecond() + "\n", StandardCharsets.US_ASCII,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot record a sign-out in " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
