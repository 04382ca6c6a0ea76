package org.hypnostream.dashboard.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The token signing key: 256 random bits, kept base64 in a file only its owner may read. */
final class SessionKey {
    static final int BYTES = 32;

    private SessionKey() {
    }

    static byte[] random() {
        byte[] k = new byte[BYTES];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** Reads {@code file}, or creates it with a fresh key (owner read/write only where the file system has POSIX modes). */
    static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] k = random();
                try {
                    Files.createFile(file);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: the directory's permissions protect it
                    }
                    Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
                    return k;
                } catch (FileAlreadyExistsException raced) {
                    // another instance created it first: use theirs
                }
            }
            byte[] k;
            try {
                k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("session key file " + file + " is not base64: " + e.getMessage(), e);
            }
            if (k.length < BYTES) {
                throw new IllegalArgumentException("session key file " + file + " holds " + k.length + " bytes, at least "
                        + BYTES + " needed");
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the session key " + file + ": " + e.getMessage(), e);
        }
    }
}
