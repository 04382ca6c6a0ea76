package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hypnostream.broker.EmbeddedKafka;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.common.study.StudyState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hypnostream study ...} against a real in-process broker: marks written, refusals explained, nothing written. */
class StudyCommandIT {
    @TempDir
    Path dir;
    EmbeddedKafka kafka;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void broker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(1);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    Run study(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new HypnostreamMain()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of("study", "--bootstrap", kafka.bootstrapServers()));
        argv.addAll(List.of(args));
        return new Run(cli.execute(argv.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void marksAreWrittenInOrderAndRefusalsWriteNothing() throws Exception {
        Instant t0 = Instant.now().minusSeconds(3600);
        Run none = study("lights-off", "--bed", "bed-1", "--user", "nurse1");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("refused, nothing written: no study on bed bed-1");
        Run admit = study("admit", "--bed", "bed-1", "--user", "tech1", "--study", "S-1", "--patient-ref", "P-0042",
                "--protocol", "plm_study", "--population", "child", "--at", t0.toString());
        assertThat(admit.status()).as(admit.err()).isZero();
        assertThat(admit.out()).contains("\"studyId\":\"S-1\"").contains("CHILD").doesNotContain("P-0042");
        Run again = study("admit", "--bed", "bed-1", "--user", "tech1", "--study", "S-2", "--patient-ref", "P-0043",
                "--protocol", "DIAGNOSTIC_PSG");
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("bed bed-1 is occupied by study S-1");
        assertThat(study("lights-on", "--bed", "bed-1", "--user", "nurse1").err()).contains("lights-on before lights-off");
        assertThat(study("lights-off", "--bed", "bed-1", "--user", "nurse1", "--at", t0.plusSeconds(600).toString()).status()).isZero();
        assertThat(study("event", "--bed", "bed-1", "--user", "nurse1", "--type", "note", "--text", "asked for water").status()).isZero();
        Run future = study("lights-on", "--bed", "bed-1", "--user", "nurse1", "--at", Instant.now().plusSeconds(3600).toString());
        assertThat(future.status()).isEqualTo(2);
        assertThat(future.err()).contains("is in the future");
        assertThat(study("amend", "--bed", "bed-1", "--user", "tech1", "--mark", "LIGHTS_OFF", "--reason", "late").err())
                .contains("amend needs --at");
        assertThat(study("amend", "--bed", "bed-1", "--user", "tech1", "--mark", "LIGHTS_OFF", "--reason", "entered late",
                "--at", t0.plusSeconds(300).toString()).status()).isZero();
        assertThat(study("lights-on", "--bed", "bed-1", "--user", "nurse1", "--at", t0.plusSeconds(3000).toString()).status()).isZero();
        assertThat(study("end", "--bed", "bed-1", "--user", "tech1").status()).isZero();

        try (StudyJournal j = new StudyJournal(kafka.bootstrapServers(), java.util.Map.of())) {
            StudyLifecycle life = j.lifecycle("bed-1", Duration.ofSeconds(30));
            assertThat(life.state()).isEqualTo(StudyState.ENDED);
            assertThat(life.current().orElseThrow().marks()).extracting(m -> m.type())
                    .containsExactly(StudyEventType.ADMITTED, StudyEventType.LIGHTS_OFF, StudyEventType.AMENDED,
                            StudyEventType.LIGHTS_ON, StudyEventType.ENDED);
            assertThat(life.current().orElseThrow().lightsOff()).isEqualTo(t0.plusSeconds(300));
        }

        // the study's report and FHIR bundle from the topics (a study without epochs: every number absent, not made up)
        Run report = cli("report", "--study", "S-1", "--out", dir.resolve("S-1.pdf").toString(), "--html", dir.resolve("S-1.html").toString());
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(report.out()).contains("for study S-1 on bed bed-1 (IN_REVIEW)");
        assertThat(java.nio.file.Files.readString(dir.resolve("S-1.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF-");
        assertThat(java.nio.file.Files.readString(dir.resolve("S-1.html"))).contains("P-0042").contains("LIGHTS_OFF set to")
                .contains("entered late");
        Run fhir = cli("export-fhir", "--study", "S-1", "--out", dir.resolve("S-1.fhir.json").toString());
        assertThat(fhir.status()).as(fhir.err()).isZero();
        assertThat(java.nio.file.Files.readString(dir.resolve("S-1.fhir.json"))).contains("\"28633-6\"").contains("\"preliminary\"")
                .contains("\"not-applicable\"");
        Run unknown = cli("export-fhir", "--study", "S-9");
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("no bed's current study is S-9");
    }

    Run cli(String command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new HypnostreamMain()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> argv = new ArrayList<>(List.of(command, "--bootstrap", kafka.bootstrapServers()));
        argv.addAll(List.of(args));
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.out;
        System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            int status = cli.execute(argv.toArray(String[]::new));
            return new Run(status, out + stdout.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(was);
        }
    }
}
