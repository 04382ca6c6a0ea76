package org.hypnostream.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.SampleBlock;
import org.hypnostream.ingest.edf.EdfReader;
import org.hypnostream.ingest.source.AmplifierSource;
import org.hypnostream.ingest.source.ReplaySource;
import org.hypnostream.ingest.source.SyntheticAmplifier;
import org.hypnostream.stream.BedSpine;
import org.hypnostream.stream.SpineConfig;

/** Inputs shared by the benchmarks: synthetic PSG blocks and real Sleep-EDF epochs (from ../shared/data). */
final class Fixtures {
    static final Instant START = Instant.parse("2024-01-01T22:00:00Z");
    static final String SNIPPET = "edfio_short_psg_SC4001E0_first5min.edf";

    private Fixtures() {
    }

    /** The synthetic bedside montage (6 EEG + 2 EOG + chin EMG at 256 Hz, 2 leg EMG at 200 Hz) for {@code seconds}. */
    static List<SampleBlock> syntheticBlocks(String bed, int seconds) {
        return drain(new SyntheticAmplifier(bed, 7, START), Micros.of(START) + seconds * 1_000_000L);
    }

    /** Every block of the 5-minute Sleep-EDF snippet (Fpz-Cz, Pz-Oz, EOG at 100 Hz, EMG at 1 Hz is skipped). */
    static List<SampleBlock> realBlocks(String bed) {
        Path f = SharedData.data("snippets", SNIPPET);
        try {
            return drain(ReplaySource.of(bed, EdfReader.read(f), START), Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The real snippet's epochs as the spine cuts them (10 epochs of 30 s). */
    static List<Epoch> realEpochs() {
        BedSpine spine = new BedSpine("bed-real", Micros.of(START), SpineConfig.defaults());
        List<Epoch> out = new ArrayList<>();
        for (SampleBlock b : realBlocks("bed-real")) {
            out.addAll(spine.accept(b).epochs());
        }
        out.addAll(spine.flush().epochs());
        if (out.isEmpty()) {
            throw new IllegalStateException(SNIPPET + " gave no epochs through the spine");
        }
        return out;
    }

    private static List<SampleBlock> drain(AmplifierSource s, long endMicros) {
        List<SampleBlock> out = new ArrayList<>();
        for (Optional<SampleBlock> b = s.next(); b.isPresent() && b.get().deviceTimeMicros() < endMicros; b = s.next()) {
            out.add(b.get());
        }
        return out;
    }

    static Path modelsDir() {
        return ModelsFolder.resolve();
    }
}
