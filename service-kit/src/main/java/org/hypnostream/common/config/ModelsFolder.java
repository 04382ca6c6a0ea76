package org.hypnostream.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the models folder ({@code *.onnx} + {@code *.model.json} cards) is: the one rule of every service, command,
 * test and benchmark. The first of these that gives a value wins:
 * <ol>
 * <li>the configuration key {@code models.dir} set explicitly (a command-line {@code --set models.dir=...}, the
 * demo's own settings);
 * <li>the system property {@code models.dir} ({@code -Dmodels.dir=...});
 * <li>the environment variable {@code HYPNOSTREAM_MODELS_DIR} ({@code bin/hypnostream}, {@code bin/perf-report} and
 * the Docker image set it);
 * <li>the first folder named {@code models} that holds a {@code *.model.json} card, in the working directory or one
 * of its parents (a checkout: the launcher run from the root, a module's tests run in the module's folder).
 * </ol>
 * Steps 1 to 3 are {@link ConfigReader#fromEnvironment}'s order for every key; a value given there is taken as it
 * is (the inference service checks each card against its graph at start). When no step gives a folder, the
 * configuration is refused with a message naming the key and the variable.
 */
public final class ModelsFolder {
    public static final String KEY = "models.dir";
    static final String FOLDER = "models";
    static final String CARD_SUFFIX = ".model.json";

    private ModelsFolder() {
    }

    /** This process's models folder ({@code overrides}: explicit values); a {@link ConfigException} when none. */
    public static Path resolve(Map<String, String> overrides) {
        ConfigReader r = ConfigReader.fromEnvironment(overrides);
        Path p = read(r);
        r.validate();
        return p;
    }

    /** {@link #resolve(Map)} without explicit values. */
    public static Path resolve() {
        return resolve(Map.of());
    }

    /**
     * Reads {@code models.dir} from {@code r} (steps 1 to 3), else looks from the working directory (step 4); when
     * neither finds one, records a problem with {@code r} (reported by its {@code validate()}) and returns
     * {@code models}.
     */
    public static Path read(ConfigReader r) {
        return read(r, Path.of("").toAbsolutePath());
    }

    static Path read(ConfigReader r, Path workingDir) {
        String v = r.optional(KEY, FOLDER + "/ with a *" + CARD_SUFFIX + " in the working directory or a parent",
                "folder of *.onnx + *" + CARD_SUFFIX + " model cards");
        if (v != null) {
            return Path.of(v);
        }
        Optional<Path> found = search(workingDir);
        if (found.isEmpty()) {
            r.problem("cannot find the models folder: set " + KEY + " (" + ConfigReader.envName(KEY) + "); no "
                    + FOLDER + "/ with a *" + CARD_SUFFIX + " in " + workingDir + " or a parent");
            return Path.of(FOLDER);
        }
        return found.get();
    }

    /** Step 4: the first {@code models/} holding a card in {@code from} or one of its parents. */
    static Optional<Path> search(Path from) {
        for (Path d = from.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path candidate = d.resolve(FOLDER);
            if (holdsCard(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsCard(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> cards = Files.newDirectoryStream(dir, "*" + CARD_SUFFIX)) {
            return cards.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
