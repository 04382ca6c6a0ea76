package org.hypnostream.dashboard.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.BedsideEventType;
import org.hypnostream.common.study.BodyPosition;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.dashboard.TestEvents;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdfPlusWriterTest {
    @TempDir
    Path dir;

    static BedNight night() {
        WardState s = new WardState(InstantSource.system());
        s.apply(TestEvents.bed("bed-1", "ward-a"));
        for (long i = 0; i < 40; i++) {
            s.apply(TestEvents.stage("bed-1", i));
        }
        s.apply(TestEvents.leg("bed-1", LegSide.LEFT, 100.5));
        s.apply(TestEvents.leg("bed-1", LegSide.RIGHT, 125));
        s.apply(TestEvents.plm("bed-1", "s1", "CANDIDATE", 100.5, 1, 1, 1));
        s.apply(TestEvents.plm("bed-1", "s1", "CONFIRMED", 175, 4, 4, 4));
        s.apply(TestEvents.alert("bed-1", "a1", AlertPriority.HIGH, "PLMS_INDEX_HIGH"));
        return s.bed("bed-1").orElseThrow();
    }

    @Test
    void writesAValidAnnotationsOnlyEdfPlusHeaderAndTals() throws IOException {
        Path f = dir.resolve("night.edf");
        int n = NightExporter.export(night(), f);
        assertThat(n).isEqualTo(40 + 2 + 1 + 1);
        byte[] b = Files.readAllBytes(f);
        String h = new String(b, 0, 512, StandardCharsets.US_ASCII);
        assertThat(h.substring(168, 176)).isEqualTo("20.11.26");
        assertThat(h.substring(176, 184)).isEqualTo("22.00.00");
        assertThat(h.substring(192, 197)).isEqualTo("EDF+C");
        int records = Integer.parseInt(h.substring(236, 244).trim());
        assertThat(records).isEqualTo(40);
        assertThat(h.substring(256, 271)).isEqualTo("EDF Annotations");
        int samples = Integer.parseInt(h.substring(256 + 216, 256 + 224).trim());
        assertThat(b.length).isEqualTo(512 + records * samples * 2);
        String body = new String(b, 512, b.length - 512, StandardCharsets.UTF_8);
        assertThat(body).startsWith("+0\u0014\u0014\u0000+0\u001530\u0014Sleep stage W\u0014\u0000");
        assertThat(body).contains("+100.5\u00151.5\u0014Limb movement left\u0014\u0000");
        assertThat(body).contains("\u0014Sleep stage ?\u0014").contains("\u0014Sleep stage R\u0014").contains("\u0014PLM series\u0014");
        assertThat(body).contains("+30\u0014\u0014\u0000+30\u001530\u0014Sleep stage W");
    }

    @Test
    void lifecycleMarksAndBedsideEventsBecomeAnnotations() throws IOException {
        WardState s = new WardState(InstantSource.system());
        s.apply(TestEvents.bed("bed-1", "ward-a"));
        for (long i = 0; i < 10; i++) {
            s.apply(TestEvents.stage("bed-1", i));
        }
        java.time.Instant t0 = TestEvents.START;
        s.apply(new StudyEvent("e1", "bed-1", "S1", StudyEventType.ADMITTED, "tech", t0, t0,
                new Admission("P-0042", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null));
        s.apply(new StudyEvent("e2", "bed-1", "S1", StudyEventType.LIGHTS_OFF, "nurse", t0, t0.plusSeconds(90), null, null, null));
        s.apply(new StudyEvent("e3", "bed-1", "S1", StudyEventType.AMENDED, "tech", t0, t0.plusSeconds(60), null,
                StudyEventType.LIGHTS_OFF, "entered late"));
        s.apply(new StudyEvent("e4", "bed-1", "S1", StudyEventType.LIGHTS_ON, "nurse", t0, t0.plusSeconds(270), null, null, null));
        s.apply(new BedsideEvent("b1", "bed-1", "S1", BedsideEventType.POSITION_CHANGE, BodyPosition.LEFT, null, "nurse", t0,
                t0.plusSeconds(150)));
        Path f = dir.resolve("study.edf");
        NightExporter.export(s.bed("bed-1").orElseThrow(), f);
        byte[] b = Files.readAllBytes(f);
        String body = new String(b, 512, b.length - 512, StandardCharsets.UTF_8);
        assertThat(body).contains("+0\u0014Study admitted S1 PLM_STUDY WASM2016 ADULT\u0014")
                .contains("+60\u0014Lights off\u0014").contains("+60\u0014Amended lights off by tech: entered late\u0014")
                .contains("+270\u0014Lights on\u0014").contains("+150\u0014Bedside: Position change left (nurse)\u0014")
                .doesNotContain("P-0042").doesNotContain("+90\u0014Lights off");
    }

    @Test
    void theReviewedNightCorrectionsAndTheSignatureBecomeAnnotations() throws Exception {
        WardState s = new WardState(InstantSource.system());
        org.hypnostream.dashboard.ReviewNight.events("bed-1", "ward-a").forEach(s::apply);
        java.time.Instant t = org.hypnostream.dashboard.ReviewNight.START.plusSeconds(7200);
        s.apply(new org.hypnostream.common.review.ReviewEvent("r1", "bed-1", "S1", org.hypnostream.common.review.ReviewEventType.RESTAGE,
                "tech", t, 30L, 39L, java.util.Collections.nCopies(10, org.hypnostream.common.event.Stage.N2),
                org.hypnostream.common.event.Stage.W, null, null, null));
        s.apply(new org.hypnostream.common.review.ReviewEvent("r2", "bed-1", "S1", org.hypnostream.common.review.ReviewEventType.SIGN,
                "doc", t, null, null, null, null, null, null, "ok"));
        Path f = dir.resolve("reviewed.edf");
        NightExporter.export(s.bed("bed-1").orElseThrow(), f);
        byte[] b = Files.readAllBytes(f);
        String body = new String(b, 512, b.length - 512, StandardCharsets.UTF_8);
        assertThat(body).contains("+900\u001530\u0014Sleep stage W\u0014").contains("+900\u001530\u0014Model stage N2\u0014")
                .contains("+900\u0014Review: re-stage epochs 30-39 N2 -> W by tech\u0014")
                .contains("+1170\u0014Study signed by doc\u0014").contains("+1170\u0014Review status SIGNED\u0014")
                .doesNotContain("+900\u001530\u0014Sleep stage N2");
    }

    @Test
    void mneReadsTheAnnotations() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import mne").redirectErrorStream(true).start();
        boolean hasMne = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!hasMne) {
            System.err.println("skipping MNE check: /usr/bin/python3 cannot import mne: "
                    + new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        Assumptions.assumeTrue(hasMne, "/usr/bin/python3 lacks mne");
        Path f = dir.resolve("night.edf");
        NightExporter.export(night(), f);
        String script = "import mne, collections\n"
                + "a = mne.read_annotations(r'" + f + "')\n"
                + "c = collections.Counter(a.description)\n"
                + "print('N', len(a))\n"
                + "for k in sorted(c): print('D', k, c[k])\n"
                + "i = list(a.description).index('Limb movement left')\n"
                + "print('LM', round(float(a.onset[i]), 3), round(float(a.duration[i]), 3))\n"
                + "print('FIRST', round(float(a.onset[0]), 3), round(float(a.duration[0]), 3), a.description[0])\n";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("N 44").contains("D Sleep stage ? 3").contains("D Limb movement right 1")
                .contains("D PLM series 1").contains("D Alarm HIGH PLMS_INDEX_HIGH 1")
                .contains("LM 100.5 1.5").contains("FIRST 0.0 30.0 Sleep stage W");
    }
}
