package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The README's table of demo options is the launcher's {@code demo --help}: same options, same defaults. */
class ReadmeOptionsTest {
    private static final Path README = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(--[a-z-]+)[^`]*` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    void demoOptionTableMatchesHelp() throws Exception {
        String readme = Files.readString(README);
        int table = readme.indexOf("Options (as `bin/hypnostream demo --help` lists them):");
        assertThat(table).as("the demo options table in README.md").isPositive();
        String rows = readme.substring(table, readme.indexOf("\n\n", readme.indexOf("| option |", table)));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(rows);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).trim());
        }

        Map<String, String> help = new LinkedHashMap<>();
        for (OptionSpec o : new CommandLine(new DemoCommand()).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                help.put(o.longestName(), o.defaultValue());
            }
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(help.keySet());
        help.forEach((option, dflt) -> {
            if (dflt != null) {
                assertThat(documented.get(option)).as("README default of %s", option).isEqualTo(dflt);
            }
        });
    }
}
