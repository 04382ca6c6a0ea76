package org.hypnostream.dashboard.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.PlmEvent;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.wire.QualityFlag;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.StudyReview;
import org.hypnostream.dashboard.review.ReviewedNight;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyEvent;

/**
 * The morning report as one XHTML page (well-formed XML, so openhtmltopdf renders the same page as the PDF). Every
 * statistic is printed from {@code SleepStatistics.toMap()} of the reviewed night, with its key beside it, so a
 * reader (or a test) finds each number exactly as {@code GET /api/beds/{bed}/statistics} gives it.
 */
public final class ReportHtml {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** key, name, one-line definition (docs/sleep-statistics.md has the full ones). */
    public static final List<String[]> ROWS = List.of(
            new String[] {"trt_min", "Time in bed (TRT), min", "lights-off to lights-on"},
            new String[] {"tst_min", "Total sleep time (TST), min", "N1 + N2 + N3 + REM epochs in the study window"},
            new String[] {"spt_min", "Sleep period time, min", "sleep onset to the last sleep epoch (unscored excluded)"},
            new String[] {"sleep_efficiency", "Sleep efficiency", "TST / TRT (a fraction)"},
            new String[] {"sol_min", "Sleep onset latency, min", "lights-off to the first epoch of any sleep"},
            new String[] {"persistent_sleep_latency_min", "Latency to persistent sleep, min",
                "lights-off to the first 10 min of unbroken sleep"},
            new String[] {"rem_latency_min", "REM latency, min", "sleep onset to the first REM epoch"},
            new String[] {"waso_min", "Wake after sleep onset (WASO), min", "wake from sleep onset to lights-on"},
            new String[] {"awakenings", "Awakenings", "changes from sleep to wake after sleep onset"},
            new String[] {"stage_shifts", "Stage shifts", "changes of stage between consecutive scored epochs"},
            new String[] {"scored_epochs", "Scored epochs", "epochs with a stage in the window"},
            new String[] {"unscored_epochs", "Unscored epochs", "epochs the stager could not score (counted apart)"},
            new String[] {"unscored_min", "Unscored time, min", "their duration, in no other number"},
            new String[] {"lms_count", "Leg movements in sleep", "scored (bilateral-merged) LMs with onset in sleep"},
            new String[] {"plms_count", "PLMs in sleep", "LMs of confirmed PLM series, onset in sleep"},
            new String[] {"plmw_count", "PLMs in wake", "LMs of confirmed PLM series, onset in wake"},
            new String[] {"lm_index", "LM index, /h", "LMs in sleep per hour of TST"},
            new String[] {"plms_index", "PLMS index, /h", "PLMs in sleep per hour of TST"},
            new String[] {"plmw_index", "PLMW index, /h", "PLMs in wake per hour of wake"});

    private ReportHtml() {
    }

    public static String render(StudyReport r) {
        StringBuilder b = new StringBuilder(64_000);
        Study s = r.study();
        Map<String, Object> st = r.night().statistics().toMap();
        StudyReview review = r.night().review();
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>Sleep study report ").append(esc(s.studyId())).append("</title><style>")
                .append("body{font-family:sans-serif;font-size:10pt;margin:18px;color:#111}")
                .append("h1{font-size:16pt;margin:0 0 4px 0}h2{font-size:12pt;border-bottom:1px solid #888;margin:14px 0 4px 0}")
                .append("table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #bbb;padding:2px 5px;text-align:left}")
                .append("th{background:#eee}td.num{text-align:right}.key{color:#666;font-family:monospace;font-size:8pt}")
                .append("img.fig{width:100%;max-width:900px}.status{font-weight:bold}.muted{color:#666}")
                .append("@page{size:A4;margin:14mm}</style></head><body>");
        b.append("<h1>Polysomnography (sleep) study report</h1>");
        b.append("<p class=\"status\" id=\"status\">Status: ").append(review == null ? "IN_REVIEW" : review.status().name())
                .append(" (").append(review == null ? "preliminary" : review.status().fhirStatus()).append(")</p>");

        b.append("<h2>Study</h2><table id=\"study\">");
        row(b, "Bed", r.displayName() + " (" + r.bedId() + (r.ward() == null ? "" : ", ward " + r.ward()) + ")");
        row(b, "Study id", s.studyId());
        row(b, "Pseudonymous reference", r.patientRef());
        row(b, "Protocol", s.admission().protocol().name());
        row(b, "Rule set (LM/PLM)", s.admission().ruleSet());
        row(b, "Population", s.admission().population().name());
        row(b, "Admitted", time(s.admittedAt()) + " by " + s.admittedBy());
        row(b, "Lights off", s.lightsOff() == null ? "not marked (first epoch assumed)" : time(s.lightsOff()));
        row(b, "Lights on", s.lightsOn() == null ? "not marked" : time(s.lightsOn()));
        row(b, "Study ended", s.endedAt() == null ? "not ended" : time(s.endedAt()));
        row(b, "Report generated", time(r.generatedAt()));
        b.append("</table>");
        List<StudyEvent> amended = s.amendments();
        if (!amended.isEmpty()) {
            b.append("<p>Lifecycle amendments:</p><ul>");
            amended.forEach(a -> b.append("<li>").append(esc(a.amends().name())).append(" set to ").append(time(a.deviceTime()))
                    .append(" by ").append(esc(a.user())).append(": ").append(esc(a.reason())).append("</li>"));
            b.append("</ul>");
        }

        b.append("<h2>Sleep statistics</h2><p class=\"muted\">From the reviewed night; times on the device clock (UTC).")
                .append(Boolean.TRUE.equals(st.get("lights_off_assumed")) ? " Lights-off not marked: first epoch assumed." : "")
                .append("</p><table id=\"statistics\"><tr><th>Statistic</th><th>Value</th><th>Definition</th><th>Key</th></tr>");
        for (String[] row : ROWS) {
            b.append("<tr><td>").append(esc(row[1])).append("</td><td class=\"num\">").append(num(st.get(row[0])))
                    .append("</td><td>").append(esc(row[2])).append("</td><td class=\"key\">").append(row[0]).append("</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Stages</h2><table id=\"stages\"><tr><th>Stage</th><th>Minutes</th><th>% of TST</th><th>Key</th></tr>");
        @SuppressWarnings("unchecked")
        Map<String, Object> mins = (Map<String, Object>) st.get("stage_min");
        @SuppressWarnings("unchecked")
        Map<String, Object> pct = (Map<String, Object>) st.get("stage_pct_tst");
        for (String k : mins.keySet()) {
            b.append("<tr><td>").append(k).append("</td><td class=\"num\">").append(num(mins.get(k))).append("</td><td class=\"num\">")
                    .append(pct.containsKey(k) ? num(pct.get(k)) : "").append("</td><td class=\"key\">stage_min.").append(k)
                    .append("</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Hypnogram</h2><img class=\"fig\" id=\"hypnogram\" alt=\"hypnogram\" src=\"")
                .append(Figures.hypnogram(r.night().startStages(), r.stages())).append("\"/>")
                .append("<p class=\"muted\">Black: reviewed stages (REM red, unscored grey); light grey beneath: the stage the review started from where a reviewer changed it.</p>")
                .append("<p id=\"starting-point\">").append(startingPoint(r)).append("</p>");
        b.append("<h2>Hypnodensity</h2><img class=\"fig\" id=\"hypnodensity\" alt=\"hypnodensity\" src=\"")
                .append(Figures.hypnodensity(r.night().modelStages())).append("\"/>")
                .append("<p class=\"muted\">The model's stage probabilities per epoch, stacked top to bottom: W, N1, N2, N3, REM.</p>");

        PlmEvent p = r.night().plm().indices();
        b.append("<h2>Leg movements and PLM</h2><table id=\"plm\">");
        row(b, "Rule set", p.ruleSet());
        row(b, "Leg movements (LM), whole recording", String.valueOf(p.lmCount()));
        row(b, "PLMs (members of confirmed series)", String.valueOf(p.plmCount()));
        row(b, "PLMs in sleep / in wake (study window)", p.plmsCount() + " / " + p.plmwCount());
        row(b, "PLMS index, /h of sleep", num(r2(p.plmsIndex())));
        row(b, "PLMW index, /h of wake", num(r2(p.plmwIndex())));
        row(b, "Periodicity index (PLMs / candidate LMs)", num(Math.round(p.periodicityIndex() * 1000) / 1000.0));
        row(b, "Respiratory exclusion", p.respiratoryExclusion());
        b.append("</table><p>Inter-movement interval histogram (10-s bins):</p><table id=\"imi\"><tr>");
        for (int i = 0; i < p.imiHistogram().size(); i++) {
            b.append("<th>").append(i == p.imiHistogram().size() - 1 ? "&gt;90 s" : (i * 10) + "-" + (i * 10 + 10) + " s").append("</th>");
        }
        b.append("</tr><tr>");
        p.imiHistogram().forEach(c -> b.append("<td class=\"num\">").append(c).append("</td>"));
        b.append("</tr></table>");

        b.append("<h2>Alarms</h2><p>").append(r.alerts().size()).append(" alarms: ").append(r.physiologicalAlarms())
                .append(" physiological, ").append(r.technicalAlarms()).append(" technical.</p>");
        if (!r.alerts().isEmpty()) {
            b.append("<table id=\"alarms\"><tr><th>Raised</th><th>Code</th><th>Priority</th><th>State</th><th>By</th></tr>");
            r.alerts().stream().limit(60).forEach(a -> b.append("<tr><td>").append(time(a.raisedAt())).append("</td><td>")
                    .append(esc(a.code())).append("</td><td>").append(a.priority()).append("</td><td>").append(a.state())
                    .append("</td><td>").append(esc(a.actor())).append("</td></tr>"));
            b.append("</table>");
        }

        b.append("<h2>Bedside events</h2>");
        if (r.bedside().isEmpty()) {
            b.append("<p>None recorded.</p>");
        } else {
            b.append("<table id=\"bedside\"><tr><th>Time</th><th>Event</th><th>By</th></tr>");
            for (BedsideEvent e : r.bedside()) {
                b.append("<tr><td>").append(time(e.deviceTime())).append("</td><td>").append(esc(e.describe())).append("</td><td>")
                        .append(esc(e.user())).append("</td></tr>");
            }
            b.append("</table>");
        }

        b.append("<h2>Signal quality</h2><table id=\"quality\">");
        row(b, "Unscored epochs (window)", num(st.get("unscored_epochs")) + " (" + num(st.get("unscored_min")) + " min)");
        row(b, "Technical alarms", String.valueOf(r.technicalAlarms()));
        Map<QualityFlag, Integer> flags = new EnumMap<>(QualityFlag.class);
        for (StageEvent e : r.night().modelStages()) {
            e.quality().forEach(f -> flags.merge(f, 1, Integer::sum));
        }
        row(b, "Epochs with quality flags", flags.isEmpty() ? "none" : flags.toString());
        b.append("</table>");

        b.append("<h2>Provenance</h2><table id=\"provenance\"><tr><th>Model / rules</th><th>sha256</th><th>Execution provider</th></tr>");
        for (Provenance pv : r.provenance()) {
            b.append("<tr><td>").append(esc(pv.modelId() != null ? pv.modelId() : pv.ruleSetId())).append("</td><td class=\"key\">")
                    .append(esc(pv.modelSha256() == null ? "-" : pv.modelSha256())).append("</td><td>").append(esc(pv.provider()))
                    .append("</td></tr>");
        }
        b.append("</table>");

        b.append("<h2>Review and signature</h2>");
        List<ReviewEvent> corrections = review == null ? List.of() : review.corrections();
        if (corrections.isEmpty()) {
            b.append(r.night().startsFromRevised() ? "<p>No corrections: the revised (morning re-score) scoring stands.</p>"
                    : "<p>No corrections: the model's scoring stands.</p>");
        } else {
            b.append("<table id=\"corrections\"><tr><th>When</th><th>By</th><th>Correction</th><th>Before</th><th>After</th><th>Reason</th></tr>");
            for (ReviewEvent c : corrections) {
                boolean amendment = review.amendments().stream().anyMatch(a -> a.correction() == c);
                b.append("<tr><td>").append(time(c.recordedAt())).append("</td><td>").append(esc(c.user())).append("</td><td>")
                        .append(amendment ? "AMENDMENT: " : "").append(describe(c)).append("</td><td>").append(before(c))
                        .append("</td><td>").append(after(c)).append("</td><td>").append(esc(c.reason())).append("</td></tr>");
            }
            b.append("</table>");
        }
        if (review != null && !review.amendments().isEmpty()) {
            b.append("<p id=\"amendments\">").append(review.amendments().size())
                    .append(" amendment(s) after signature, each with its reason (above).</p>");
        }
        ReviewEvent sig = review == null ? null : review.signature();
        if (sig == null) {
            b.append("<p id=\"signature\">Not signed: preliminary report.</p>");
        } else {
            b.append("<p id=\"signature\">Reviewed and signed by ").append(esc(sig.user())).append(" at ").append(time(sig.recordedAt()))
                    .append(".</p>");
            if (sig.text() != null) {
                b.append("<p><b>Interpretation:</b> ").append(esc(sig.text())).append("</p>");
            }
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String describe(ReviewEvent c) {
        return switch (c.type()) {
            case RESTAGE -> "re-stage epoch" + (c.fromEpoch().equals(c.toEpoch()) ? " " + c.fromEpoch()
                    : "s " + c.fromEpoch() + "-" + c.toEpoch());
            case ADD_LEG -> "add leg movement";
            case DELETE_LEG -> "delete leg movement";
            case SIGN -> "sign";
        };
    }

    private static String before(ReviewEvent c) {
        return switch (c.type()) {
            case RESTAGE -> c.before() == null ? "" : esc(summary(c.before().stream().map(Enum::name).toList()));
            case DELETE_LEG -> leg(c);
            default -> "";
        };
    }

    private static String after(ReviewEvent c) {
        return switch (c.type()) {
            case RESTAGE -> c.stage().name();
            case ADD_LEG -> leg(c);
            default -> "";
        };
    }

    private static String leg(ReviewEvent c) {
        return c.leg().side() + " " + time(c.leg().onset()) + " (" + num(r2(java.time.Duration.between(c.leg().onset(),
                c.leg().offset()).toMillis() / 1000.0)) + " s)";
    }

    private static String summary(List<String> stages) {
        Map<String, Integer> n = new java.util.TreeMap<>();
        stages.forEach(x -> n.merge(x, 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        n.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(v).append(" x ").append(k));
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    /** A number as the statistics endpoint's JSON has it, trailing zeros dropped ("412.5", "0.8594", "3"); "-" for null. */
    public static String num(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    static double r2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String time(Instant t) {
        return t == null ? "-" : CLOCK.format(t) + " (" + t + ")";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** Which hypnogram the reviewed stages started from (the morning re-score is NON-causal: said so, with its model). */
    static String startingPoint(StudyReport r) {
        ReviewedNight n = r.night();
        if (!n.startsFromRevised()) {
            return "Scoring: the reviewed stages start from the live (causal) stages scored during the night.";
        }
        long covered = java.util.stream.IntStream.range(0, n.stages().size()).filter(n::revisedAt).count();
        return "Scoring: the reviewed stages start from the " + esc(n.startingPoint()) + " hypnogram of "
                + esc(n.revised().provenance().modelId()) + " (" + covered + " of " + n.stages().size()
                + " epochs; the others from the live stages). It was computed after lights-on using later epochs too; "
                + "the live stages, alarms and PLM scoring during the night used the causal model only.";
    }
}
