package org.hypnostream.app;

import picocli.CommandLine.Command;

/** {@code hypnostream evaluate <what>}: runs the live Java scoring path offline over recorded data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a detector or model offline with the same Java path as live.",
        subcommands = {EvaluateStagerCommand.class, EvaluateLmCommand.class, EvaluateEmgCommand.class})
final class EvaluateCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
