package org.hypnostream.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.EmgSegment;
import org.hypnostream.common.wire.LegWindow;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.wire.SampleBlockCodec;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.ReplaySource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

/**
 * A short, seeded, mutation-based fuzz run in every build (the coverage-guided runs are {@link DecoderFuzzTest}):
 * valid inputs from real data (EDF snippets, an EMGLAB WFDB record) and from the encoders are mutated (bit flips,
 * interesting integers, ASCII numbers, truncation, splices) and fed to each target. Failing inputs are written to
 * {@code target/fuzz-crashes/} so that they can be copied into the Jazzer regression inputs.
 */
class DecoderMutationTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261121L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 4000);
    private static final Duration NO_HANG = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    interface Target {
        void accept(byte[] in) throws Exception;
    }

    @Test
    void sampleBlockDecoderRefusesOrDecodes() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T22:00:00Z");
        try (AmplifierSource s = new SyntheticAmplifier("bed-1", 1, start)) {
            for (int i = 0; i < 3; i++) {
                corpus.add(SampleBlockCodec.encode(s.next().orElseThrow()));
            }
        }
        try (AmplifierSource s = ReplaySource.of("bed-2", EdfReader.read(SharedData.data("snippets",
                "edfio_SC4001EC-Hypnogram.edf").getParent().resolve("edfio_short_psg_SC4001E0_first5min.edf")), start)) {
            corpus.add(SampleBlockCodec.encode(s.next().orElseThrow()));
        }
        run("sample-block", corpus, FuzzTargets::sampleBlock);
    }

    @Test
    void windowDecodersRefuseOrDecode() throws Exception {
        Random r = new Random(SEED);
        float[][] eeg = new float[2][3000];
        for (float[] row : eeg) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) r.nextGaussian() * 20f;
            }
        }
        float[] left = new float[LegWindow.SAMPLES];
        float[] right = new float[LegWindow.SAMPLES];
        List<byte[]> corpus = List.of(
                WindowCodecs.encodeEpoch(new Epoch("bed-1", 7, 1_000_000L, 100.0, List.of("C4-M1", "E1-M2"), eeg,
                        Set.of(QualityFlag.values()[0]), 42L)),
                WindowCodecs.encodeLegWindow(new LegWindow("bed-1", 3, 1_000_000L, 200.0, 2400, left, right, Set.of(),
                        Set.of(), 43L)),
                WindowCodecs.encodeEmgSegment(new EmgSegment("bed-9", "N2001A01BB01", 2, 5_000_000L, 23437.5,
                        new float[512], Set.of(), false, 44L)));
        run("windows", corpus, FuzzTargets::windows);
    }

    @Test
    void edfReaderRefusesOrReads() throws Exception {
        List<byte[]> corpus = List.of(
                Files.readAllBytes(SharedData.data("snippets", "edfio_SC4001EC-Hypnogram.edf")),
                Files.readAllBytes(SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf")));
        run("edf", corpus, FuzzTargets::edf);
    }

    @Test
    void wfdbReaderRefusesOrReads() throws Exception {
        Path hea = SharedData.data("emglab-n2001", "N2001A01BB01.hea");
        byte[] data = new byte[4000];
        try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(
                hea.resolveSibling("N2001A01BB01.bin.xz"))))) {
            assertThat(in.readNBytes(data, 0, data.length)).isEqualTo(data.length);
        }
        List<String> lines = Files.readAllLines(hea);
        StringBuilder header = new StringBuilder("r 1 23437.5 2000\n");
        header.append(lines.get(1).replace("N2001A01BB01.bin", "s.bin")).append('\n');
        lines.stream().skip(2).limit(3).forEach(l -> header.append(l).append('\n'));
        List<byte[]> corpus = List.of(wfdbInput(header.toString(), data),
                wfdbInput("r 2 200 50\ns.bin 16 100/uV 16 0 0 0 0 a\ns.bin 16 100/uV 16 0 0 0 0 b\n", new byte[200]));
        run("wfdb", corpus, in -> FuzzTargets.wfdb(in, dir));
    }

    @Test
    void jsonEventParsersRefuseOrParse() throws Exception {
        List<byte[]> corpus = List.of(
                ("{\"bedId\":\"bed-1\",\"epochIndex\":4,\"epochStart\":\"2026-01-01T22:02:00Z\",\"epochEnd\":"
                        + "\"2026-01-01T22:02:30Z\",\"stage\":\"N2\",\"probabilities\":[0.1,0.1,0.6,0.1,0.1],"
                        + "\"fromPriorOnly\":false,\"unscoredReason\":null,\"quality\":[],\"provenance\":{\"modelId\":"
                        + "\"stager-features-welch-hmm-v2\",\"modelSha256\":\"ab\",\"ruleSetId\":null,\"provider\":\"CPU\"},"
                        + "\"producedAt\":\"2026-01-01T22:02:31Z\",\"latencyMillis\":12,\"sourceReceiveMicros\":1}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"alertId\":\"a-1\",\"bedId\":\"bed-1\",\"physiological\":false,\"code\":\"OUTBOX_UNWRITABLE\","
                        + "\"priority\":\"HIGH\",\"state\":\"ACTIVE\",\"message\":\"m\",\"raisedAt\":\"2026-01-01T22:00:00Z\","
                        + "\"updatedAt\":\"2026-01-01T22:00:00Z\",\"actor\":null,\"silencedUntil\":null}")
                        .getBytes(StandardCharsets.UTF_8),
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]".getBytes(StandardCharsets.UTF_8));
        run("json", corpus, FuzzTargets::jsonEvents);
    }

    private static byte[] wfdbInput(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        if (h.length > 200) {
            throw new IllegalArgumentException("seed header longer than the 200 bytes the target can address");
        }
        byte[] out = new byte[1 + h.length + data.length];
        out[0] = (byte) (h.length - 1);
        System.arraycopy(h, 0, out, 1, h.length);
        System.arraycopy(data, 0, out, 1 + h.length, data.length);
        return out;
    }

    private static void run(String name, List<byte[]> corpus, Target target) throws Exception {
        Random random = new Random(SEED ^ name.hashCode());
        int[] done = {0};
        assertTimeoutPreemptively(NO_HANG, () -> {
            for (byte[] seed : corpus) {
                check(name, -1, seed, target);
            }
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] in = Mutator.mutate(corpus.get(random.nextInt(corpus.size())), random);
                check(name, i, in, target);
                done[0]++;
            }
        }, name + ": " + ITERATIONS + " inputs within " + NO_HANG + " (a hang?)");
        assertThat(done[0]).isEqualTo(ITERATIONS);
    }

    private static void check(String name, int iteration, byte[] in, Target target) throws IOException {
        try {
            target.accept(in);
        } catch (Throwable t) {
            Path crash = Path.of("target", "fuzz-crashes", name + "-" + SEED + "-" + iteration + ".bin");
            Files.createDirectories(crash.getParent());
            Files.write(crash, in);
            throw new AssertionError(name + ": input " + iteration + " (seed " + SEED + ", saved to " + crash
                    + ") escaped with " + t, t);
        }
    }
}
