package org.hypnostream.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;

/** Builds sample blocks for tests: a source whose channel c has value f(c)(absolute sample index). */
public final class TestBlocks {
    public static final long SESSION = 1_700_000_000_000_000L;

    private final String bed;
    private final String source;
    private final double rate;
    private final List<ChannelInfo> channels;
    private final List<LongFunction<Float>> signals;

    public TestBlocks(String bed, String source, double rate) {
        this.bed = bed;
        this.source = source;
        this.rate = rate;
        this.channels = new ArrayList<>();
        this.signals = new ArrayList<>();
    }

    public TestBlocks channel(String label, ChannelType type, LongFunction<Float> signal) {
        channels.add(ChannelInfo.microvolts(label, type));
        signals.add(signal);
        return this;
    }

    /** Block {@code seq} holding samples [first, first + n) of the session; device time from the index. */
    public SampleBlock block(long seq, long first, int n) {
        return block(seq, first, n, SESSION + Math.round(first * 1e6 / rate));
    }

    public SampleBlock block(long seq, long first, int n, long deviceMicros) {
        float[][] s = new float[channels.size()][n];
        for (int c = 0; c < channels.size(); c++) {
            for (int i = 0; i < n; i++) {
                s[c][i] = signals.get(c).apply(first + i);
            }
        }
        return new SampleBlock(bed, source, seq, SESSION, deviceMicros, deviceMicros + 5_000, rate, channels, s);
    }

    /** Consecutive blocks of {@code n} samples covering [0, total). */
    public List<SampleBlock> blocks(long total, int n) {
        List<SampleBlock> out = new ArrayList<>();
        long seq = 0;
        for (long first = 0; first < total; first += n) {
            out.add(block(seq++, first, (int) Math.min(n, total - first)));
        }
        return out;
    }

    public static LongFunction<Float> index() {
        return i -> (float) i;
    }

    public static LongFunction<Float> sine(double amplitude, double hz, double rate) {
        return i -> (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }

    /** Amplitude of the {@code hz} component of y (sampled at {@code rate}) over [from, from + n), n whole periods. */
    public static double amplitude(float[] y, double hz, double rate, int from, int n) {
        double a = 0;
        double b = 0;
        for (int i = from; i < from + n; i++) {
            a += y[i] * Math.sin(2 * Math.PI * hz * i / rate);
            b += y[i] * Math.cos(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(a, b) / n;
    }
}
