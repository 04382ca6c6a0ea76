package org.hypnostream.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.WindowCodecs;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.hypnostream.dashboard.eeg.MultitaperSpectrogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The dashboard's EEG panel per epoch (the {@code dashboard-eeg-frames} thread, issue 19) on real Sleep-EDF epochs
 * cut by the spine: {@code columns} is the multitaper spectrogram of one 30-s channel at 100 Hz (14 columns of 4-s
 * windows, 2-s step, 3 DPSS tapers, 121 bins 0-30 Hz), {@code frame} the whole {@code EegFrame.from} (traces decimated
 * to 50 Hz and the spectrogram of the first channel), {@code record} what the eeg-frames worker does per
 * {@code eeg-epochs.v1} record: {@code WindowCodecs.decodeEpoch} of the record's bytes, then {@code EegFrame.from}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpectrogramBenchmark {
    List<Epoch> epochs;
    List<byte[]> records;
    MultitaperSpectrogram spectrogram;
    int next;

    @Setup
    public void setup() {
        epochs = Fixtures.realEpochs();
        records = epochs.stream().map(WindowCodecs::encodeEpoch).toList();
        spectrogram = MultitaperSpectrogram.of(epochs.get(0).sampleRateHz(), 4, 2, 2, 3, 30);
    }

    private Epoch nextEpoch() {
        Epoch e = epochs.get(next);
        next = (next + 1) % epochs.size();
        return e;
    }

    @Benchmark
    public float[][] columns() {
        return spectrogram.columns(nextEpoch().samples()[0]);
    }

    @Benchmark
    public EegFrame frame() {
        return EegFrame.from(nextEpoch());
    }

    @Benchmark
    public EegFrame record() {
        byte[] r = records.get(next);
        next = (next + 1) % records.size();
        return EegFrame.from(WindowCodecs.decodeEpoch(r));
    }
}
