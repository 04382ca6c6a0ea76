package org.hypnostream.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.Callable;
import org.hypnostream.dashboard.auth.PasswordHasher;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.User;
import org.hypnostream.dashboard.auth.UserDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hypnostream add-user}: appends a dashboard user with a PBKDF2-hashed password to a users file. */
@Command(name = "add-user", mixinStandardHelpOptions = true,
        description = "Add a dashboard user (password read from the terminal or standard input, stored hashed).")
final class AddUserCommand implements Callable<Integer> {
    @Option(names = "--file", required = true, description = "Users file (created if missing).")
    Path file;

    @Option(names = "--user", required = true, description = "User name.")
    String user;

    @Option(names = "--wards", required = true, split = ",", description = "Wards the user may see (comma-separated; * = all).")
    Set<String> wards;

    @Option(names = "--role", description = "nurse, technologist, physician or admin (default: admin for ward *, else nurse).")
    Role role;

    @Override
    public Integer call() throws IOException {
        char[] password = readPassword();
        if (password.length < 8) {
            throw new IllegalArgumentException("password must have at least 8 characters");
        }
        Role r = role == null ? User.defaultRole(wards) : role;
        String line = UserDirectory.line(user, wards, password, PasswordHasher.DEFAULT_ITERATIONS, r);
        java.util.Arrays.fill(password, '\0');
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("added " + user + " (wards " + wards + ", role " + r.id() + ") to " + file);
        return 0;
    }

    private static char[] readPassword() throws IOException {
        Console c = System.console();
        if (c != null) {
            return c.readPassword("password: ");
        }
        String s = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return s == null ? new char[0] : s.toCharArray();
    }
}
