package org.hypnostream.dashboard.report;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hypnostream.common.event.Stage;
import org.hypnostream.common.event.StageEvent;
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewStatus;
import org.hypnostream.common.study.Study;

/**
 * The study as a FHIR R4 {@code Bundle} (type collection): a {@code DiagnosticReport} coded LOINC 28633-6
 * (Polysomnography (sleep) study) with the PDF as its presentedForm and its status following the review
 * (preliminary, final after signature, amended after an amendment); one {@code Observation} per statistic (LOINC
 * 93832-4 for total sleep time, the local code system {@link #LOCAL} for the rest: docs/fhir-code-system.md); the
 * hypnogram as an Observation with {@code SampledData} (W=0, N1=1, N2=2, N3=3, REM=4, E = unscored; one per 30 s).
 * The patient is referred to by the pseudonymous reference only (an identifier), never a name.
 */
public final class FhirExport {
    public static final String LOINC = "http://loinc.org";
    public static final String LOCAL = "https://hypnostream.org/fhir/CodeSystem/sleep-statistics";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String PATIENT_REF_SYSTEM = "urn:hypnostream:patient-ref";
    public static final String STUDY_ID_SYSTEM = "urn:hypnostream:study-id";
    /** statistic key -> LOINC code, where one exists. */
    public static final Map<String, String> LOINC_CODES = Map.of("tst_min", "93832-4");
    private static final FhirContext CTX = FhirContext.forR4Cached();

    private FhirExport() {
    }

    public static FhirContext context() {
        return CTX;
    }

    public static String json(StudyReport r, byte[] pdf) {
        return CTX.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle(r, pdf));
    }

    public static Bundle bundle(StudyReport r, byte[] pdf) {
        Study s = r.study();
        ReviewStatus status = r.night().review() == null ? ReviewStatus.IN_REVIEW : r.night().review().status();
        Observation.ObservationStatus obsStatus = switch (status) {
            case IN_REVIEW -> Observation.ObservationStatus.PRELIMINARY;
            case SIGNED -> Observation.ObservationStatus.FINAL;
            case AMENDED -> Observation.ObservationStatus.AMENDED;
        };
        Reference subject = new Reference().setIdentifier(new Identifier().setSystem(PATIENT_REF_SYSTEM).setValue(r.patientRef()))
                .setDisplay("pseudonymous reference " + r.patientRef());
        Period window = new Period();
        Map<String, Object> st = r.night().statistics().toMap();
        if (st.get("lights_off") != null) {
            window.setStartElement(new DateTimeType((String) st.get("lights_off")));
        }
        Object end = st.get("lights_on");
        if (end != null) {
            window.setEndElement(new DateTimeType((String) end));
        }
        Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
        b.setIdentifier(new Identifier().setSystem(STUDY_ID_SYSTEM).setValue(r.bedId() + "/" + s.studyId()));
        b.setTimestampElement(new InstantType(Date.from(r.generatedAt())));
        DiagnosticReport dr = new DiagnosticReport();
        String drUrl = "urn:uuid:" + UUID.randomUUID();
        dr.addIdentifier().setSystem(STUDY_ID_SYSTEM).setValue(s.studyId());
        dr.setStatus(switch (status) {
            case IN_REVIEW -> DiagnosticReport.DiagnosticReportStatus.PRELIMINARY;
            case SIGNED -> DiagnosticReport.DiagnosticReportStatus.FINAL;
            case AMENDED -> DiagnosticReport.DiagnosticReportStatus.AMENDED;
        });
        dr.setCode(new CodeableConcept().addCoding(new Coding(LOINC, "28633-6", "Polysomnography (sleep) study"))
                .setText("Polysomnography (sleep) study"));
        dr.setSubject(subject);
        dr.setEffective(window);
        dr.setIssuedElement(new InstantType(Date.from(r.generatedAt())));
        ReviewEvent sig = r.night().review() == null ? null : r.night().review().signature();
        if (sig != null) {
            dr.addResultsInterpreter(new Reference().setDisplay(sig.user()));
            if (sig.text() != null) {
                dr.setConclusion(sig.text());
            }
        }
        dr.addPresentedForm(new Attachment().setContentType("application/pdf").setLanguage("en").setData(pdf)
                .setTitle("Sleep study report " + s.studyId()));
        b.addEntry().setFullUrl(drUrl).setResource(dr);
        List<Observation> obs = new ArrayList<>();
        for (String[] row : ReportHtml.ROWS) {
            obs.add(statistic(row[0], row[1], st.get(row[0]), obsStatus, subject, window));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mins = (Map<String, Object>) st.get("stage_min");
        mins.forEach((k, v) -> obs.add(statistic("stage_min." + k, "Minutes in stage " + k, v, obsStatus, subject, window)));
        @SuppressWarnings("unchecked")
        Map<String, Object> pct = (Map<String, Object>) st.get("stage_pct_tst");
        pct.forEach((k, v) -> obs.add(statistic("stage_pct_tst." + k, "Stage " + k + " as % of TST", v, obsStatus, subject, window)));
        obs.add(hypnogram(r, obsStatus, subject, window));
        for (Observation o : obs) {
            String url = "urn:uuid:" + UUID.randomUUID();
            b.addEntry().setFullUrl(url).setResource(o);
            dr.addResult(new Reference(url));
        }
        return b;
    }

    /** The unit of a statistic key (UCUM): min, /h, % or 1 (a fraction or a count). */
    static String unit(String key) {
        if (key.endsWith("_min") || key.startsWith("stage_min.")) {
            return "min";
        }
        if (key.endsWith("_index")) {
            return "/h";
        }
        if (key.startsWith("stage_pct_tst.")) {
            return "%";
        }
        return "1";
    }

    private static Observation statistic(String key, String name, Object value, Observation.ObservationStatus status,
            Reference subject, Period window) {
        Observation o = new Observation().setStatus(status);
        CodeableConcept code = new CodeableConcept().setText(name);
        String loinc = LOINC_CODES.get(key);
        if (loinc != null) {
            code.addCoding(new Coding(LOINC, loinc, "Sleep duration"));
        }
        code.addCoding(new Coding(LOCAL, key, name));
        o.setCode(code).setSubject(subject).setEffective(window.copy());
        if (value == null) {
            o.setDataAbsentReason(new CodeableConcept().addCoding(new Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-applicable", "Not Applicable")));
        } else if (value instanceof Integer i) {
            o.setValue(new IntegerType(i));
        } else {
            String u = unit(key);
            o.setValue(new Quantity().setValue(((Number) value).doubleValue()).setUnit(u).setSystem(UCUM).setCode(u));
        }
        return o;
    }

    private static Observation hypnogram(StudyReport r, Observation.ObservationStatus status, Reference subject, Period window) {
        StringBuilder data = new StringBuilder();
        for (StageEvent e : r.stages()) {
            data.append(data.length() == 0 ? "" : " ").append(e.stage() == Stage.UNSCORED ? "E" : String.valueOf(e.stage().ordinal()));
        }
        Observation o = new Observation().setStatus(status).setSubject(subject);
        o.setCode(new CodeableConcept().addCoding(new Coding(LOCAL, "hypnogram", "Hypnogram (reviewed)"))
                .setText("Hypnogram: one stage per 30-s epoch, W=0 N1=1 N2=2 N3=3 REM=4, E=unscored"));
        Period p = new Period();
        if (!r.stages().isEmpty()) {
            p.setStartElement(new DateTimeType(r.stages().get(0).epochStart().toString()));
            p.setEndElement(new DateTimeType(r.stages().get(r.stages().size() - 1).epochEnd().toString()));
        }
        o.setEffective(p);
        long periodMs = r.stages().isEmpty() ? 30_000 : java.time.Duration.between(r.stages().get(0).epochStart(),
                r.stages().get(0).epochEnd()).toMillis();
        SimpleQuantity origin = new SimpleQuantity();
        origin.setValue(0).setUnit("1").setSystem(UCUM).setCode("1");
        o.setValue(new SampledData().setOrigin(origin).setPeriod(periodMs).setLowerLimit(0).setUpperLimit(4).setDimensions(1)
                .setData(data.length() == 0 ? "E" : data.toString()));
        o.addNote().setText(r.night().startsFromRevised()
                ? "stages start from the " + r.night().startingPoint() + " hypnogram of "
                        + r.night().revised().provenance().modelId() + " where it covers an epoch (computed after "
                        + "lights-on from later epochs too), else from the live model stages; replaced by the review's "
                        + "corrections where a reviewer changed them"
                : "model stages replaced by the review's corrections where a reviewer changed them");
        return o;
    }
}
