package org.hypnostream.app;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One run of {@code hypnostream create-topics args} in the test's JVM: exit status and what it printed. */
record CreateTopicsRun(int status, String out, String err) {
    private static final Duration HANG = Duration.ofSeconds(90);

    /** Runs the command, failing the test if it is still running after 90 s (a hang, not a slow answer). */
    static CreateTopicsRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new HypnostreamMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of("create-topics"));
        argv.addAll(List.of(args));
        int status = assertTimeoutPreemptively(HANG, () -> cli.execute(argv.toArray(String[]::new)),
                () -> "create-topics " + argv + " still running after " + HANG);
        return new CreateTopicsRun(status, out.toString(), err.toString());
    }
}
