package org.hypnostream.dashboard.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users from a file, one per line: {@code name:ward1,ward2:iterations:saltBase64:hashBase64[:role]}; {@code #}
 * starts a comment. The role (nurse, technologist, physician, admin) may be left out: then ward "*" means admin and any
 * other ward nurse, so a file written before roles existed keeps working with what its users could do then. Every bad line is reported with the file and line number; a file with any bad line is refused.
 */
public final class UserDirectory {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    static final Pattern WARD = Pattern.compile("\\*|[A-Za-z0-9._-]{1,64}");
    private static final int MAX_PASSWORD_CHARS = 256;

    private record Entry(User user, int iterations, byte[] salt, byte[] hash) {
    }

    private final Map<String, Entry> users;

    private UserDirectory(Map<String, Entry> users) {
        this.users = Map.copyOf(users);
    }

    public static UserDirectory load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Entry> users = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            String[] f = line.split(":", -1);
            if (f.length != 5 && f.length != 6) {
                problems.add(where + "expected name:wards:iterations:salt:hash[:role], got " + f.length + " fields");
                continue;
            }
            if (!NAME.matcher(f[0]).matches()) {
                problems.add(where + "bad user name");
                continue;
            }
            Set<String> wards = new LinkedHashSet<>();
            for (String w : f[1].split(",")) {
                if (!WARD.matcher(w.strip()).matches()) {
                    problems.add(where + "bad ward '" + w + "' for user " + f[0]);
                }
                wards.add(w.strip());
            }
            try {
                int iterations = Integer.parseInt(f[2]);
                if (iterations < PasswordHasher.MIN_ITERATIONS) {
                    problems.add(where + "user " + f[0] + ": " + iterations + " iterations, minimum " + PasswordHasher.MIN_ITERATIONS);
                    continue;
                }
                byte[] salt = Base64.getDecoder().decode(f[3]);
                byte[] hash = Base64.getDecoder().decode(f[4]);
                if (salt.length < 16 || hash.length < 32) {
                    problems.add(where + "user " + f[0] + ": salt must be >= 16 bytes and hash >= 32 bytes");
                    continue;
                }
                Role role = f.length == 6 ? Role.parse(f[5]) : User.defaultRole(wards);
                if (users.put(f[0], new Entry(new User(f[0], wards, role), iterations, salt, hash)) != null) {
                    problems.add(where + "user " + f[0] + " defined twice");
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + "user " + f[0] + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("users file refused: " + String.join("; ", problems));
        }
        return new UserDirectory(users);
    }

    /** Writes a users file line for a new user with the default role (admin for ward "*", else nurse). */
    public static String line(String name, Set<String> wards, char[] password, int iterations) {
        return name + ":" + String.join(",", wards) + ":" + PasswordHasher.hash(password, iterations);
    }

    /** Writes a users file line for a new user with a role. */
    public static String line(String name, Set<String> wards, char[] password, int iterations, Role role) {
        return line(name, wards, password, iterations) + ":" + role.id();
    }

    /** The user when the password matches; slow on purpose (PBKDF2), call off the event loop. */
    public Optional<User> authenticate(String name, String password) {
        if (name == null || password == null || password.length() > MAX_PASSWORD_CHARS) {
            return Optional.empty();
        }
        Entry e = users.get(name);
        if (e == null) {
            return Optional.empty();
        }
        return PasswordHasher.verify(password.toCharArray(), e.salt, e.hash, e.iterations) ? Optional.of(e.user) : Optional.empty();
    }

    public int size() {
        return users.size();
    }
}
