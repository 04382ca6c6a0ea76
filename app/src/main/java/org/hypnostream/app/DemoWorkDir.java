package org.hypnostream.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The demo's work directory: broker data, outbox, Streams state, the log file, and a {@code tmp} folder that
 * libraries reading {@code java.io.tmpdir} at run time use for scratch (Chronicle, Netty), so that a run leaves nothing
 * behind in the system's temp directory. A directory the demo made itself is deleted when
 * the demo ends; one given with {@code --work-dir} is kept, only its {@code tmp} folder goes.
 */
final class DemoWorkDir {
    static final String LOG_FILE = "hypnostream.log";

    private final Path path;
    private final boolean temporary;

    private DemoWorkDir(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** {@code --work-dir DIR}: created if missing, kept at the end. */
    static DemoWorkDir given(Path dir) {
        try {
            return new DemoWorkDir(Files.createDirectories(dir).toAbsolutePath(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A new {@code hypnostream-demo-<random>} folder (owner only) in the temp directory, deleted at the end. */
    static DemoWorkDir createTemporary() {
        try {
            return new DemoWorkDir(Files.createTempDirectory("hypnostream-demo-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work dir in the temp directory: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    boolean temporary() {
        return temporary;
    }

    Path logFile() {
        return path.resolve(LOG_FILE);
    }

    /**
     * Points this JVM's {@code java.io.tmpdir} property (and Chronicle's {@code project.build.directory}, which
     * otherwise becomes {@code <tmpdir>/target}) into the work dir, for the libraries that read it when they need it.
     * The JDK's own temp files ({@link Files#createTempFile}) keep the directory the JVM started with.
     */
    void useForScratch() {
        Path scratch = path.resolve("tmp");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + scratch + ": " + e.getMessage(), e);
        }
        System.setProperty("java.io.tmpdir", scratch.toString());
        if (System.getProperty("project.build.directory") == null) {
            System.setProperty("project.build.directory", scratch.resolve("chronicle").toString());
        }
    }

    /** Deletes the whole directory if the demo made it, else only its scratch folder; and ONNX Runtime's. */
    void cleanUp() throws IOException {
        deleteTree(temporary ? path : path.resolve("tmp"));
        deleteOnnxRuntimeScratch();
    }

    /**
     * ONNX Runtime (1.29) unpacks its native libraries into {@code onnxruntime-java<n>} in the JVM's start-up temp
     * directory (which {@code java.io.tmpdir} set later does not move) and asks for the folder to be deleted at exit
     * before the files in it, so an empty folder stays behind on every run. The folder is in a private static field.
     */
    static void deleteOnnxRuntimeScratch() throws IOException {
        Path dir;
        try {
            Class<?> ort = Class.forName("ai.onnxruntime.OnnxRuntime", false, DemoWorkDir.class.getClassLoader());
            Field f = ort.getDeclaredField("tempDirectory");
            f.setAccessible(true);
            dir = (Path) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // not loaded, or another ONNX Runtime version: nothing we know to delete
        }
        if (dir != null && dir.getFileName().toString().startsWith("onnxruntime-java")) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
