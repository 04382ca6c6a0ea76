package org.hypnostream.dashboard.eeg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.common.wire.QualityFlag;

/**
 * What the bed view shows of one EEG epoch: the traces decimated to at most {@link #DISPLAY_HZ} and the multitaper
 * spectrogram columns of the first channel (dB re 1 µV²/Hz). Computed on the feed's frame thread, never on the event
 * loop nor on the thread that hands stage events to it.
 */
public record EegFrame(String bedId, long epochIndex, Instant epochStart, String channel, List<Trace> traces,
        float[][] columns, double stepSeconds, double binHz, Set<QualityFlag> quality) {

    public static final double DISPLAY_HZ = 50;
    /** Spectrogram: 4-s windows, 2-s step, NW = 2, 3 tapers, 0-30 Hz. */
    static final double WINDOW_S = 4;
    static final double STEP_S = 2;

    public record Trace(String label, double rateHz, float[] microvolts) {
    }

    public EegFrame {
        Objects.requireNonNull(bedId, "bedId");
        traces = List.copyOf(traces);
        quality = Set.copyOf(quality);
    }

    public static EegFrame from(Epoch e) {
        if (e.channelLabels().isEmpty()) {
            throw new IllegalArgumentException("epoch " + e.index() + " of bed " + e.bedId() + ": no channels");
        }
        int factor = (int) Math.max(1, Math.ceil(e.sampleRateHz() / DISPLAY_HZ));
        List<Trace> traces = new java.util.ArrayList<>();
        for (int c = 0; c < e.channelLabels().size(); c++) {
            float[] x = e.samples()[c];
            float[] d = new float[x.length / factor];
            for (int i = 0; i < d.length; i++) {
                double s = 0;
                for (int j = 0; j < factor; j++) {
                    s += x[i * factor + j];
                }
                d[i] = (float) (s / factor);
            }
            traces.add(new Trace(e.channelLabels().get(c), e.sampleRateHz() / factor, d));
        }
        MultitaperSpectrogram s = MultitaperSpectrogram.of(e.sampleRateHz(), WINDOW_S, STEP_S, 2, 3, 30);
        Instant start = Instant.EPOCH.plusNanos(e.startMicros() * 1000);
        return new EegFrame(e.bedId(), e.index(), start, e.channelLabels().get(0), traces, s.columns(e.samples()[0]),
                s.stepSeconds(), s.binHz(), e.quality());
    }

    /** The same frame without its traces: what the panel keeps of every epoch but the newest (spectrogram only). */
    public EegFrame withoutTraces() {
        return traces.isEmpty() ? this : new EegFrame(bedId, epochIndex, epochStart, channel, List.of(), columns, stepSeconds, binHz, quality);
    }

    /** The same frame without its spectrogram columns: what the EEG panel keeps of the newest frame, its traces. */
    EegFrame withoutColumns() {
        return columns.length == 0 ? this : new EegFrame(bedId, epochIndex, epochStart, channel, traces, new float[0][], stepSeconds, binHz, quality);
    }

    /** Spectrogram columns as JSON (dB rounded to 0.1). */
    public JsonObject spectrumJson() {
        JsonArray cols = new JsonArray();
        for (float[] col : columns) {
            JsonArray a = new JsonArray();
            for (float v : col) {
                a.add(Float.isFinite(v) ? Math.round(v * 10) / 10.0 : null);
            }
            cols.add(a);
        }
        return new JsonObject().put("i", epochIndex).put("start", epochStart.toString()).put("step", stepSeconds)
                .put("binHz", binHz).put("columns", cols);
    }

    public JsonObject tracesJson() {
        JsonArray t = new JsonArray();
        for (Trace tr : traces) {
            JsonArray v = new JsonArray();
            for (float f : tr.microvolts()) {
                v.add(Float.isFinite(f) ? Math.round(f * 10) / 10.0 : null);
            }
            t.add(new JsonObject().put("label", tr.label()).put("rateHz", tr.rateHz()).put("uV", v));
        }
        JsonArray q = new JsonArray();
        quality.forEach(f -> q.add(f.name()));
        return new JsonObject().put("i", epochIndex).put("start", epochStart.toString()).put("channel", channel).put("traces", t).put("q", q);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EegFrame f && f.bedId.equals(bedId) && f.epochIndex == epochIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bedId, epochIndex);
    }
}
