package org.hypnostream.app;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.common.config.KafkaOverrides;
import org.hypnostream.common.event.JsonCodec;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.BedsideEventType;
import org.hypnostream.common.study.BodyPosition;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.Study;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyLifecycle;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.common.study.StudyRefusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hypnostream study admit|lights-off|lights-on|end|amend|event}: a study mark or bedside event from the
 * command line. The bed's lifecycle is rebuilt from {@code study-events.v1} first; a refused mark prints why and writes
 * nothing (exit 2). An operator tool: Kafka's ACLs decide who may write; {@code --user} is recorded as given.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Record a study mark (admit, lights-off, lights-on, end, amend) or a bedside event for a bed.",
        subcommands = {StudyCommand.Admit.class, StudyCommand.LightsOff.class, StudyCommand.LightsOn.class,
            StudyCommand.End.class, StudyCommand.Amend.class, StudyCommand.Event.class})
final class StudyCommand implements Runnable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ServiceOptions service;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--bed", required = true, scope = picocli.CommandLine.ScopeType.INHERIT, description = "Bed id.")
    String bed;

    @Option(names = "--user", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Who records it (the audit trail).")
    String user;

    @Option(names = "--at", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "When (device clock, ISO-8601 UTC, e.g. 2026-11-20T22:05:00Z); default now.")
    Instant at;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: admit, lights-off, "
                + "lights-on, end, amend or event");
    }

    /** Rebuilds the bed's lifecycle, builds the event from it, checks it, writes it; prints it as JSON. */
    int record(java.util.function.Function<StudyLifecycle, Object> build) {
        ConfigReader r = ConfigReader.fromEnvironment(service.overrides());
        String bootstrap = r.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
        r.validate();
        Instant now = Instant.now();
        try (StudyJournal j = new StudyJournal(bootstrap, KafkaOverrides.fromEnvironment(service.overrides()))) {
            StudyLifecycle life = j.lifecycle(bed, TIMEOUT);
            Object e;
            try {
                e = build.apply(life);
                if (e instanceof StudyEvent s) {
                    life.check(s, now);
                    j.write(s, TIMEOUT);
                } else {
                    life.check((BedsideEvent) e, now);
                    j.write((BedsideEvent) e, TIMEOUT);
                }
            } catch (IllegalArgumentException refused) {
                spec.commandLine().getErr().println("refused, nothing written: " + refused.getMessage());
                return 2;
            }
            spec.commandLine().getOut().println(JsonCodec.toJson(e instanceof StudyEvent s ? redacted(s) : e));
            return 0;
        }
    }

    /** The admission printed without its patient reference (terminals end up in logs). */
    private static Object redacted(StudyEvent s) {
        return s.admission() == null ? s : java.util.Map.of("eventId", s.eventId(), "bedId", s.bedId(), "studyId", s.studyId(),
                "type", s.type(), "user", s.user(), "deviceTime", s.deviceTime().toString(),
                "protocol", s.admission().protocol(), "ruleSet", s.admission().ruleSet(), "population", s.admission().population());
    }

    Instant when() {
        return at != null ? at : Instant.now();
    }

    String currentStudy(StudyLifecycle life) {
        return life.current().map(Study::studyId).orElseThrow(() -> new StudyRefusal("no study on bed " + bed + ": admit one first"));
    }

    StudyEvent mark(StudyLifecycle life, StudyEventType type, StudyEventType amends, String reason) {
        return new StudyEvent(UUID.randomUUID().toString(), bed, currentStudy(life), type, user, Instant.now(), when(), null,
                amends, reason);
    }

    @Command(name = "admit", mixinStandardHelpOptions = true, description = "Admit a study on a free bed (technologist).")
    static final class Admit implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Option(names = "--study", required = true, description = "Study id (unique on the bed).")
        String studyId;

        @Option(names = "--patient-ref", required = true, description = "Pseudonymous patient reference (never a name).")
        String patientRef;

        @Option(names = "--protocol", required = true, description = "DIAGNOSTIC_PSG or PLM_STUDY.")
        StudyProtocol protocol;

        @Option(names = "--rule-set", defaultValue = "WASM2016", description = "WASM2016 or AASM (default ${DEFAULT-VALUE}).")
        String ruleSet;

        @Option(names = "--population", defaultValue = "ADULT", description = "ADULT or CHILD (default ${DEFAULT-VALUE}).")
        Population population;

        @Override
        public Integer call() {
            return parent.record(life -> new StudyEvent(UUID.randomUUID().toString(), parent.bed, studyId, StudyEventType.ADMITTED,
                    parent.user, Instant.now(), parent.when(), new Admission(patientRef, protocol, ruleSet, population), null, null));
        }
    }

    @Command(name = "lights-off", mixinStandardHelpOptions = true, description = "Mark lights off.")
    static final class LightsOff implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Override
        public Integer call() {
            return parent.record(life -> parent.mark(life, StudyEventType.LIGHTS_OFF, null, null));
        }
    }

    @Command(name = "lights-on", mixinStandardHelpOptions = true, description = "Mark lights on.")
    static final class LightsOn implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Override
        public Integer call() {
            return parent.record(life -> parent.mark(life, StudyEventType.LIGHTS_ON, null, null));
        }
    }

    @Command(name = "end", mixinStandardHelpOptions = true, description = "End the bed's study.")
    static final class End implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Override
        public Integer call() {
            return parent.record(life -> parent.mark(life, StudyEventType.ENDED, null, null));
        }
    }

    @Command(name = "amend", mixinStandardHelpOptions = true, description = "Correct the time of a mark (--at is the true time).")
    static final class Amend implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Option(names = "--mark", required = true, description = "LIGHTS_OFF, LIGHTS_ON or ENDED.")
        StudyEventType mark;

        @Option(names = "--reason", required = true, description = "Why (recorded).")
        String reason;

        @Override
        public Integer call() {
            if (parent.at == null) {
                parent.spec.commandLine().getErr().println("refused, nothing written: amend needs --at (the true time)");
                return 2;
            }
            return parent.record(life -> parent.mark(life, StudyEventType.AMENDED, mark, reason));
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true, description = "Record a bedside event.")
    static final class Event implements Callable<Integer> {
        @ParentCommand
        StudyCommand parent;

        @Option(names = "--type", required = true, description = "POSITION_CHANGE, BATHROOM_BREAK, INTERVENTION, ELECTRODE_FIX, "
                + "PATIENT_COMPLAINT, MEDICATION, OXYGEN_CPAP_CHANGE or NOTE.")
        BedsideEventType type;

        @Option(names = "--position", description = "For POSITION_CHANGE: SUPINE, PRONE, LEFT, RIGHT, UPRIGHT.")
        BodyPosition position;

        @Option(names = "--text", description = "Free text (required for NOTE).")
        String text;

        @Override
        public Integer call() {
            return parent.record(life -> new BedsideEvent(UUID.randomUUID().toString(), parent.bed, parent.currentStudy(life), type,
                    position, text, parent.user, Instant.now(), parent.when()));
        }
    }
}
