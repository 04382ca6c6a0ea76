package org.hypnostream.common.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only third-party data folder {@code ../shared/data} that sits beside the checkout (never copied
 * into the repository). Order: system property {@code hypnostream.shared}, environment {@code HYPNOSTREAM_SHARED},
 * then {@code shared/} beside any parent of the working directory.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The {@code shared} folder (containing {@code data/} and {@code design/}). */
    public static Path root() {
        String p = System.getProperty("hypnostream.shared");
        if (p == null || p.isBlank()) {
            p = System.getenv("HYPNOSTREAM_SHARED");
        }
        if (p != null && !p.isBlank() && Files.isDirectory(Path.of(p, "data"))) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("cannot find ../shared/data: set -Dhypnostream.shared or HYPNOSTREAM_SHARED");
    }

    public static Path data(String first, String... more) {
        return root().resolve("data").resolve(Path.of(first, more));
    }
}
