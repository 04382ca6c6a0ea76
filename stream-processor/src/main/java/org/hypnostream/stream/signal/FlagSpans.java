package org.hypnostream.stream.signal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.wire.QualityFlag;

/** Quality flags attached to ranges of output sample indices of one channel, until their windows are cut. */
public final class FlagSpans {
    private static final int MAX_SPANS = 4096;
    private final List<long[]> spans = new ArrayList<>();

    /** Flags output samples [from, to] (inclusive). Overlapping or adjacent spans of one flag are merged. */
    public void add(QualityFlag flag, long from, long to) {
        for (int i = spans.size() - 1; i >= 0 && i >= spans.size() - 8; i--) {
            long[] s = spans.get(i);
            if (s[0] == flag.ordinal() && from <= s[2] + 1 && to >= s[1] - 1) {
                s[1] = Math.min(s[1], from);
                s[2] = Math.max(s[2], to);
                return;
            }
        }
        if (spans.size() >= MAX_SPANS) {
            long[] last = spans.get(spans.size() - 1);
            last[2] = Math.max(last[2], to);
            return;
        }
        spans.add(new long[] {flag.ordinal(), from, to});
    }

    /** Flags touching output samples [from, toExclusive). */
    public Set<QualityFlag> in(long from, long toExclusive) {
        EnumSet<QualityFlag> out = EnumSet.noneOf(QualityFlag.class);
        for (long[] s : spans) {
            if (s[1] < toExclusive && s[2] >= from) {
                out.add(QualityFlag.values()[(int) s[0]]);
            }
        }
        return out;
    }

    /** Forgets spans that end before {@code index}. */
    public void pruneBefore(long index) {
        spans.removeIf(s -> s[2] < index);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(spans.size());
        for (long[] s : spans) {
            out.writeByte((int) s[0]);
            out.writeLong(s[1]);
            out.writeLong(s[2]);
        }
    }

    static FlagSpans read(DataInput in) throws IOException {
        FlagSpans f = new FlagSpans();
        int n = in.readInt();
        if (n < 0 || n > MAX_SPANS) {
            throw new IOException("flag state has " + n + " spans");
        }
        for (int i = 0; i < n; i++) {
            int flag = in.readByte();
            if (flag < 0 || flag >= QualityFlag.values().length) {
                throw new IOException("unknown quality flag ordinal " + flag);
            }
            f.spans.add(new long[] {flag, in.readLong(), in.readLong()});
        }
        return f;
    }
}
