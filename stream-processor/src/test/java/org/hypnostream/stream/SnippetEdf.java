package org.hypnostream.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.common.data.SharedData;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.ChannelType;
import org.hypnostream.common.wire.SampleBlock;

/**
 * A minimal plain-EDF reader for tests only (the real reader lives in ingest, which this module must not import):
 * physical values computed in float64 exactly as EDFlib does, then float32.
 */
public final class SnippetEdf {
    public final List<String> labels = new ArrayList<>();
    public final List<String> units = new ArrayList<>();
    public final int[] samplesPerRecord;
    public final double recordSeconds;
    public final float[][] physical;

    private SnippetEdf(byte[] b) {
        String h = new String(b, 0, 256, StandardCharsets.US_ASCII);
        int records = Integer.parseInt(h.substring(236, 244).trim());
        recordSeconds = Double.parseDouble(h.substring(244, 252).trim());
        int ns = Integer.parseInt(h.substring(252, 256).trim());
        String s = new String(b, 256, ns * 256, StandardCharsets.US_ASCII);
        int off = 0;
        double[] pmin = new double[ns];
        double[] pmax = new double[ns];
        double[] dmin = new double[ns];
        double[] dmax = new double[ns];
        samplesPerRecord = new int[ns];
        for (int i = 0; i < ns; i++) {
            labels.add(s.substring(off + i * 16, off + i * 16 + 16).trim());
        }
        off += ns * 16 + ns * 80;
        for (int i = 0; i < ns; i++) {
            units.add(s.substring(off + i * 8, off + i * 8 + 8).trim());
        }
        off += ns * 8;
        for (int i = 0; i < ns; i++) {
            pmin[i] = Double.parseDouble(s.substring(off + i * 8, off + i * 8 + 8).trim());
            pmax[i] = Double.parseDouble(s.substring(off + ns * 8 + i * 8, off + ns * 8 + i * 8 + 8).trim());
            dmin[i] = Double.parseDouble(s.substring(off + ns * 16 + i * 8, off + ns * 16 + i * 8 + 8).trim());
            dmax[i] = Double.parseDouble(s.substring(off + ns * 24 + i * 8, off + ns * 24 + i * 8 + 8).trim());
        }
        off += ns * 32 + ns * 80;
        for (int i = 0; i < ns; i++) {
            samplesPerRecord[i] = Integer.parseInt(s.substring(off + i * 8, off + i * 8 + 8).trim());
        }
        physical = new float[ns][];
        for (int i = 0; i < ns; i++) {
            physical[i] = new float[records * samplesPerRecord[i]];
        }
        ByteBuffer data = ByteBuffer.wrap(b, 256 + ns * 256, b.length - 256 - ns * 256).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < records; r++) {
            for (int i = 0; i < ns; i++) {
                double bitvalue = (pmax[i] - pmin[i]) / (dmax[i] - dmin[i]);
                double offset = pmax[i] / bitvalue - dmax[i];
                for (int k = 0; k < samplesPerRecord[i]; k++) {
                    physical[i][r * samplesPerRecord[i] + k] = (float) (bitvalue * (offset + data.getShort()));
                }
            }
        }
    }

    public static SnippetEdf sc4001() throws IOException {
        Path p = SharedData.data("snippets", "edfio_short_psg_SC4001E0_first5min.edf");
        return new SnippetEdf(Files.readAllBytes(p));
    }

    public static SnippetEdf noxLegs() throws IOException {
        return new SnippetEdf(Files.readAllBytes(SharedData.data("snippets", "rsleep_subject1_NoxA1_2min_legEMG.edf")));
    }

    public float[] signal(String label) {
        return physical[labels.indexOf(label)];
    }

    /** SC4001: the 100-Hz signals as source "amp/eeg", the 1-Hz ones as "amp/aux", 1-s blocks in time order. */
    public List<SampleBlock> sc4001Blocks(String bed, long session) {
        return interleave(source(bed, session, "amp/eeg", "EEG Fpz-Cz", "EEG Pz-Oz", "EOG horizontal"),
                source(bed, session, "amp/aux", "Resp oro-nasal", "EMG submental", "Temp rectal", "Event marker"));
    }

    /** 1-s blocks of the named signals (which must share one rate) as one source, device time from the start. */
    public List<SampleBlock> source(String bed, long session, String source, String... names) {
        int[] idx = new int[names.length];
        List<ChannelInfo> ch = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            idx[c] = labels.indexOf(names[c]);
            if (idx[c] < 0) {
                throw new IllegalArgumentException("no signal " + names[c]);
            }
            ch.add(new ChannelInfo(names[c], type(names[c]), units.get(idx[c])));
        }
        int rate = (int) Math.round(samplesPerRecord[idx[0]] / recordSeconds);
        int seconds = physical[idx[0]].length / rate;
        List<SampleBlock> out = new ArrayList<>();
        for (int sec = 0; sec < seconds; sec++) {
            float[][] s = new float[names.length][];
            for (int c = 0; c < names.length; c++) {
                s[c] = java.util.Arrays.copyOfRange(physical[idx[c]], sec * rate, (sec + 1) * rate);
            }
            long device = session + sec * 1_000_000L;
            out.add(new SampleBlock(bed, source, sec, session, device, device + 1000, rate, ch, s));
        }
        return out;
    }

    @SafeVarargs
    public static List<SampleBlock> interleave(List<SampleBlock>... sources) {
        List<SampleBlock> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            boolean any = false;
            for (List<SampleBlock> s : sources) {
                if (i < s.size()) {
                    out.add(s.get(i));
                    any = true;
                }
            }
            if (!any) {
                return out;
            }
        }
    }

    private static ChannelType type(String l) {
        if (l.equals("Left Leg")) {
            return ChannelType.EMG_LEG_LEFT;
        }
        if (l.equals("Right Leg")) {
            return ChannelType.EMG_LEG_RIGHT;
        }
        return l.startsWith("EEG") || l.matches("[A-Z][0-9z]-.*") ? ChannelType.EEG
                : l.startsWith("EOG") || l.startsWith("E1") || l.startsWith("E2") ? ChannelType.EOG
                : l.startsWith("EMG") ? ChannelType.EMG_CHIN : l.startsWith("Resp") ? ChannelType.RESP : ChannelType.OTHER;
    }
}
