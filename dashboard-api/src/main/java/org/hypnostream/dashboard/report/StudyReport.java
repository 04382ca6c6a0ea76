package org.hypnostream.dashboard.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.Provenance;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.Study;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.review.ReviewedNight;

/**
 * Everything the morning report shows, gathered once from a bed's night and its reviewed night (the HTML page, the
 * PDF and the FHIR bundle all read this one value, so they cannot disagree).
 *
 * @param provenance every producer of the night's stage, leg and alarm events (model id, sha256, execution provider)
 */
public record StudyReport(String bedId, String ward, String displayName, Study study, ReviewedNight night,
        List<Alert> alerts, List<BedsideEvent> bedside, Set<Provenance> provenance, Instant generatedAt) {
    public StudyReport {
        if (study == null) {
            throw new IllegalArgumentException("bed " + bedId + " has no study to report");
        }
        alerts = List.copyOf(alerts);
        bedside = List.copyOf(bedside);
        provenance = Set.copyOf(provenance);
    }

    public static StudyReport of(BedNight n, ReviewedNight rn, Instant now) {
        Study s = rn.study();
        Set<Provenance> prov = new LinkedHashSet<>();
        n.stages().forEach(e -> prov.add(e.provenance()));
        n.legMovements().forEach(e -> prov.add(e.provenance()));
        List<BedsideEvent> bedside = new ArrayList<>();
        n.bedsideEvents().forEach(b -> {
            if (s != null && b.studyId().equals(s.studyId())) {
                bedside.add(b);
            }
        });
        bedside.sort(java.util.Comparator.comparing(BedsideEvent::deviceTime));
        List<Alert> alerts = new ArrayList<>(n.alerts());
        alerts.sort(java.util.Comparator.comparing(a -> a.raisedAt() == null ? Instant.EPOCH : a.raisedAt()));
        return new StudyReport(n.bedId(), n.ward(), n.info() == null ? n.bedId() : n.info().displayName(), s, rn, alerts,
                bedside, prov, now);
    }

    /** The pseudonymous patient reference (the report and the FHIR bundle carry it; logs never do). */
    public String patientRef() {
        return study.admission().patientRef();
    }

    public List<StageEvent> stages() {
        return night.stages();
    }

    public long technicalAlarms() {
        return alerts.stream().filter(a -> !a.physiological()).count();
    }

    public long physiologicalAlarms() {
        return alerts.stream().filter(Alert::physiological).count();
    }
}
