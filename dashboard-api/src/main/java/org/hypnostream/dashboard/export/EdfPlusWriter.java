package org.hypnostream.dashboard.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.LegMovementEvent;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.dashboard.night.BedNight;

/**
 * Writes a bed's night as an annotations-only EDF+C file: one "EDF Annotations" signal, 30-s data records, each
 * starting with its time-keeping TAL. Hypnogram as "Sleep stage W/N1/N2/N3/R/?" (30 s each), leg movements as
 * "Limb movement left/right/bilateral", confirmed PLM series as "PLM series", alarms as "Alarm PRIORITY CODE", the
 * study's lifecycle marks ("Study admitted ...", "Lights off", "Lights on", "Study ended", at their amended times, and
 * "Amended lights off by USER: REASON") and bedside events ("Bedside: Position change left: text (user)").
 * Times are UTC, relative to the session start (else the first epoch), truncated to whole seconds in the header.
 */
public final class EdfPlusWriter {
    /** One TAL annotation: onset and duration in seconds from the file start (duration 0 = none). */
    public record Annotation(double onsetSeconds, double durationSeconds, String text) {
    }

    static final double RECORD_SECONDS = 30.0;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yy", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH.mm.ss", Locale.ROOT);
    private static final DateTimeFormatter PLUS_DATE = DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ROOT);

    private EdfPlusWriter() {
    }

    /** The start of the file: the session start, else the first scored epoch, else the first movement. */
    public static Instant start(BedNight night) {
        if (night.info() != null && night.info().sessionStart() != null) {
            return night.info().sessionStart();
        }
        return night.stages().stream().map(StageEvent::epochStart).findFirst()
                .or(() -> night.legMovements().stream().map(LegMovementEvent::onset).min(Comparator.naturalOrder()))
                .orElseThrow(() -> new IllegalArgumentException("bed " + night.bedId() + ": no session start and no events to export"));
    }

    public static List<Annotation> annotations(BedNight night, Instant start) {
        List<Annotation> out = new ArrayList<>();
        // the reviewed night (the model's when nobody reviewed it): corrected stages, deleted / added leg movements
        org.hypnostream.common.study.Study study = night.lifecycle().current().orElse(null);
        org.hypnostream.dashboard.review.ReviewedNight reviewed = study == null ? null
                : org.hypnostream.dashboard.review.ReviewedNight.of(night.bedId(), night.stages(), night.revisions(),
                        night.legMovements(), study, night.review(), Instant.EPOCH);
        java.util.Collection<StageEvent> stages = reviewed == null ? night.stages() : reviewed.stages();
        java.util.Collection<LegMovementEvent> legs = reviewed == null ? night.legMovements() : reviewed.legs();
        for (StageEvent s : stages) {
            out.add(new Annotation(secs(start, s.epochStart()), secs(s.epochStart(), s.epochEnd()), "Sleep stage " + code(s.stage())));
        }
        if (reviewed != null) {
            review(out, start, reviewed);
        }
        for (LegMovementEvent l : legs) {
            out.add(new Annotation(secs(start, l.onset()), secs(l.onset(), l.offset()),
                    "Limb movement " + l.side().name().toLowerCase(Locale.ROOT)));
        }
        for (BedNight.PlmSeries p : night.plmSeries()) {
            if ("CONFIRMED".equals(p.state()) && p.firstOnset() != null) {
                Instant end = p.lastOffset() == null ? p.firstOnset() : p.lastOffset();
                out.add(new Annotation(secs(start, p.firstOnset()), secs(p.firstOnset(), end), "PLM series"));
            }
        }
        for (Alert a : night.alerts()) {
            if (a.raisedAt() != null) {
                out.add(new Annotation(secs(start, a.raisedAt()), 0, "Alarm " + a.priority() + " " + a.code()));
            }
        }
        night.lifecycle().current().ifPresent(st -> {
            out.add(new Annotation(secs(start, st.admittedAt()), 0, "Study admitted " + st.studyId() + " "
                    + st.admission().protocol() + " " + st.admission().ruleSet() + " " + st.admission().population()));
            mark(out, start, st.lightsOff(), "Lights off");
            mark(out, start, st.lightsOn(), "Lights on");
            mark(out, start, st.endedAt(), "Study ended");
            for (StudyEvent a : st.amendments()) {
                out.add(new Annotation(secs(start, a.deviceTime()), 0, "Amended " + a.amends().name().toLowerCase(Locale.ROOT)
                        .replace('_', ' ') + " by " + a.user() + ": " + a.reason()));
            }
        });
        for (BedsideEvent b : night.bedsideEvents()) {
            out.add(new Annotation(secs(start, b.deviceTime()), 0, "Bedside: " + b.describe() + " (" + b.user() + ")"));
        }
        out.sort(Comparator.comparingDouble(Annotation::onsetSeconds));
        return out;
    }

    /**
     * The review: each correction ("Review: re-stage epochs 30-39 N2 -> W by tech", "Review: deleted limb movement left
     * by tech", with ": reason" when given and "Amendment" once signed) at the time it concerns, the model's stage of
     * each corrected epoch ("Model stage N2", or "Revised stage N2" where the review started from the morning
     * re-score, which one annotation at the first epoch names), and the signature ("Study signed by doc", "Review status AMENDED").
     */
    private static void review(List<Annotation> out, Instant start, org.hypnostream.dashboard.review.ReviewedNight rn) {
        if (rn.startsFromRevised() && !rn.startStages().isEmpty()) {
            out.add(new Annotation(secs(start, rn.startStages().get(0).epochStart()), 0, "Stages start from the "
                    + org.hypnostream.common.event.RevisedHypnogram.LABEL + " of " + rn.revised().provenance().modelId()));
        }
        org.hypnostream.common.review.StudyReview r = rn.review();
        if (r == null) {
            return;
        }
        for (int i = 0; i < rn.stages().size(); i++) {
            StageEvent m = rn.startStages().get(i);
            if (m.stage() != rn.stages().get(i).stage()) {
                out.add(new Annotation(secs(start, m.epochStart()), secs(m.epochStart(), m.epochEnd()),
                        (rn.revisedAt(i) ? "Revised stage " : "Model stage ") + code(m.stage())));
            }
        }
        java.util.Set<org.hypnostream.common.review.ReviewEvent> amended = new java.util.HashSet<>();
        r.amendments().forEach(a -> amended.add(a.correction()));
        Instant last = rn.modelStages().isEmpty() ? start : rn.modelStages().get(rn.modelStages().size() - 1).epochStart();
        for (org.hypnostream.common.review.ReviewEvent e : r.events()) {
            String who = " by " + e.user() + (e.reason() == null ? "" : ": " + e.reason());
            String what = (amended.contains(e) ? "Amendment: " : "Review: ");
            switch (e.type()) {
                case RESTAGE -> {
                    StageEvent first = rn.modelStages().stream().filter(x -> x.epochIndex() == e.fromEpoch()).findFirst().orElse(null);
                    Instant at = first == null ? last : first.epochStart();
                    String before = e.before() == null ? "" : e.before().stream().distinct().map(EdfPlusWriter::code)
                            .collect(java.util.stream.Collectors.joining("/")) + " -> ";
                    out.add(new Annotation(secs(start, at), 0, what + "re-stage epochs " + e.fromEpoch() + "-" + e.toEpoch() + " "
                            + before + code(e.stage()) + who));
                }
                case ADD_LEG -> out.add(new Annotation(secs(start, e.leg().onset()), 0, what + "added limb movement "
                        + e.leg().side().name().toLowerCase(Locale.ROOT) + who));
                case DELETE_LEG -> out.add(new Annotation(secs(start, e.leg().onset()), 0, what + "deleted limb movement "
                        + e.leg().side().name().toLowerCase(Locale.ROOT) + who));
                case SIGN -> out.add(new Annotation(secs(start, last), 0, "Study signed by " + e.user()));
            }
        }
        out.add(new Annotation(secs(start, last), 0, "Review status " + r.status().name()));
    }

    private static void mark(List<Annotation> out, Instant start, Instant at, String text) {
        if (at != null) {
            out.add(new Annotation(secs(start, at), 0, text));
        }
    }

    static String code(Stage s) {
        return switch (s) {
            case W -> "W";
            case N1 -> "N1";
            case N2 -> "N2";
            case N3 -> "N3";
            case REM -> "R";
            case UNSCORED -> "?";
        };
    }

    private static double secs(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** Writes the night; returns the number of annotations written. */
    public static int write(BedNight night, OutputStream out) throws IOException {
        Instant start = start(night);
        Instant headerStart = start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Annotation> anns = annotations(night, headerStart);
        write(headerStart, anns, out);
        return anns.size();
    }

    static void write(Instant start, List<Annotation> anns, OutputStream out) throws IOException {
        double end = 0;
        for (Annotation a : anns) {
            end = Math.max(end, a.onsetSeconds() + a.durationSeconds());
        }
        int records = Math.max(1, (int) Math.ceil(end / RECORD_SECONDS));
        List<StringBuilder> tals = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            tals.add(new StringBuilder("+").append(num(r * RECORD_SECONDS)).append("\u0014\u0014\u0000"));
        }
        for (Annotation a : anns) {
            int r = (int) Math.max(0, Math.min(records - 1, Math.floor(a.onsetSeconds() / RECORD_SECONDS)));
            StringBuilder t = tals.get(r).append(a.onsetSeconds() < 0 ? "-" : "+").append(num(Math.abs(a.onsetSeconds())));
            if (a.durationSeconds() > 0) {
                t.append('\u0015').append(num(a.durationSeconds()));
            }
            t.append('\u0014').append(a.text().replaceAll("[\\x00-\\x1f]", " ")).append("\u0014\u0000");
        }
        int maxBytes = 0;
        for (StringBuilder t : tals) {
            maxBytes = Math.max(maxBytes, t.toString().getBytes(StandardCharsets.UTF_8).length);
        }
        int samples = (maxBytes + 1) / 2 + 1;
        LocalDateTime t0 = LocalDateTime.ofInstant(start, ZoneOffset.UTC);
        StringBuilder h = new StringBuilder();
        field(h, "0", 8);
        field(h, "X X X X", 80);
        field(h, "Startdate " + t0.format(PLUS_DATE).toUpperCase(Locale.ROOT) + " X X hypnostream", 80);
        field(h, t0.format(DATE), 8);
        field(h, t0.format(TIME), 8);
        field(h, Integer.toString(512), 8);
        field(h, "EDF+C", 44);
        field(h, Integer.toString(records), 8);
        field(h, num(RECORD_SECONDS), 8);
        field(h, "1", 4);
        field(h, "EDF Annotations", 16);
        field(h, "", 80);
        field(h, "", 8);
        field(h, "-1", 8);
        field(h, "1", 8);
        field(h, "-32768", 8);
        field(h, "32767", 8);
        field(h, "", 80);
        field(h, Integer.toString(samples), 8);
        field(h, "", 32);
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        if (header.length != 512) {
            throw new IllegalStateException("EDF header is " + header.length + " bytes, expected 512");
        }
        out.write(header);
        for (StringBuilder t : tals) {
            byte[] rec = new byte[samples * 2];
            byte[] b = t.toString().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, rec, 0, b.length);
            out.write(rec);
        }
        out.flush();
    }

    private static void field(StringBuilder h, String v, int width) {
        if (v.length() > width) {
            throw new IllegalArgumentException("EDF header field '" + v + "' longer than " + width);
        }
        h.append(v).append(" ".repeat(width - v.length()));
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
