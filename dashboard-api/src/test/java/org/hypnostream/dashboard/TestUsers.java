package org.hypnostream.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.UserDirectory;

/**
 * A users file: nurse (ward-a, no role field: nurse by default), other (ward-b, nurse), admin (*, admin by default),
 * tech (ward-a, technologist), doc (ward-a, physician), all with password {@link #PASSWORD}.
 */
public final class TestUsers {
    public static final String PASSWORD = "correct horse 42";

    private TestUsers() {
    }

    public static Path write(Path dir) throws IOException {
        Path f = dir.resolve("users.txt");
        Files.writeString(f, String.join("\n",
                "# test users",
                UserDirectory.line("nurse", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000),
                UserDirectory.line("other", Set.of("ward-b"), PASSWORD.toCharArray(), 10_000),
                UserDirectory.line("admin", Set.of("*"), PASSWORD.toCharArray(), 10_000),
                UserDirectory.line("tech", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.TECHNOLOGIST),
                UserDirectory.line("doc", Set.of("ward-a"), PASSWORD.toCharArray(), 10_000, Role.PHYSICIAN)) + "\n");
        return f;
    }
}
