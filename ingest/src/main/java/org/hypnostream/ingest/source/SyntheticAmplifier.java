package org.hypnostream.ingest.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.time.Micros;
import org.hypnostream.common.wire.ChannelInfo;
import org.hypnostream.common.wire.SampleBlock;

/**
 * A deterministic synthetic bed (same seed, same samples): a plausible night with 4-5 sleep cycles and a realistic
 * PSG montage. Source "&lt;bed&gt;/256hz": 6 EEG (Fpz-Cz, Pz-Oz, C3-M2, C4-M1, O1-M2, F4-M1), 2 EOG (horizontal,
 * E2-M1) and chin EMG; source "&lt;bed&gt;/200hz": Left Leg and Right Leg EMG. One-second blocks, interleaved by
 * device time. Content follows the hypnogram: alpha in W, theta in N1, spindles and K-complexes in N2, slow waves
 * in N3, low-amplitude mixed activity with rapid eye movements in REM, blinks in W; leg EMG bursts at the ground
 * truth leg movements (periodic series with IMI 20-40 s); ECG bleed and 50 Hz mains on every channel.
 */
public final class SyntheticAmplifier implements AmplifierSource {
    public static final Duration DEFAULT_NIGHT = Duration.ofHours(8);

    private final String bedId;
    private final long sessionStartMicros;
    private final long seconds;
    private final SyntheticNight night;
    private final EegGenerator eeg;
    private final LegGenerator leg;
    private final List<ChannelInfo> eegChannels;
    private final List<ChannelInfo> legChannels;
    private final String eegSource;
    private final String legSource;
    private long eegSeq;
    private long legSeq;

    /**
     * @param night length of the recording; the hypnogram covers it in whole 30-s epochs
     */
    public SyntheticAmplifier(String bedId, long seed, Instant sessionStart, Duration night) {
        if (night.toSeconds() < 30) {
            throw new IllegalArgumentException("bed " + bedId + ": a synthetic night needs at least 30 s, got " + night);
        }
        this.bedId = bedId;
        this.sessionStartMicros = Micros.of(sessionStart);
        int epochs = (int) (night.toSeconds() / 30);
        this.seconds = epochs * 30L;
        this.night = new SyntheticNight(seed, epochs);
        double heartRate = 55 + (Math.floorMod(seed, 20));
        this.eeg = new EegGenerator(seed * 31 + 1, heartRate);
        this.leg = new LegGenerator(seed * 31 + 2, heartRate, this.night.legMovements);
        List<ChannelInfo> e = new ArrayList<>();
        for (String l : EegGenerator.LABELS) {
            e.add(ChannelInfo.microvolts(l, ChannelTypes.byLabel(l)));
        }
        this.eegChannels = List.copyOf(e);
        this.legChannels = List.of(ChannelInfo.microvolts("Left Leg", ChannelTypes.byLabel("Left Leg")),
                ChannelInfo.microvolts("Right Leg", ChannelTypes.byLabel("Right Leg")));
        this.eegSource = bedId + "/256hz";
        this.legSource = bedId + "/200hz";
    }

    public SyntheticAmplifier(String bedId, long seed, Instant sessionStart) {
        this(bedId, seed, sessionStart, DEFAULT_NIGHT);
    }

    @Override
    public String bedId() {
        return bedId;
    }

    /** Ground truth: the stage of every 30-s epoch from the session start. */
    public List<Stage> hypnogram() {
        return night.hypnogram;
    }

    /** Ground truth: every leg movement in the leg EMG, in onset order. */
    public List<TrueLegMovement> legMovements() {
        return night.legMovements;
    }

    public String eegSourceId() {
        return eegSource;
    }

    public String legSourceId() {
        return legSource;
    }

    @Override
    public Optional<SampleBlock> next() {
        if (legSeq >= seconds) {
            return Optional.empty();
        }
        if (eegSeq <= legSeq) {
            long second = eegSeq;
            float[][] out = new float[eegChannels.size()][(int) EegGenerator.RATE];
            eeg.next(night.hypnogram.get((int) (second / 30)), out);
            return Optional.of(new SampleBlock(bedId, eegSource, eegSeq++, sessionStartMicros,
                    sessionStartMicros + second * 1_000_000L, 0L, EegGenerator.RATE, eegChannels, out));
        }
        long second = legSeq;
        float[][] out = new float[2][(int) LegGenerator.RATE];
        leg.next(out);
        return Optional.of(new SampleBlock(bedId, legSource, legSeq++, sessionStartMicros,
                sessionStartMicros + second * 1_000_000L, 0L, LegGenerator.RATE, legChannels, out));
    }

    @Override
    public String toString() {
        return "SyntheticAmplifier[bed=" + bedId + ", " + seconds + " s]";
    }
}
