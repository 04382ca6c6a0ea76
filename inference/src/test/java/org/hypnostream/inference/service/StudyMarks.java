package org.hypnostream.inference.service;

import java.time.Instant;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;

/** Study lifecycle marks for tests. */
final class StudyMarks {
    static final Instant RECORDED = Instant.parse("2026-12-07T07:00:00Z");

    private StudyMarks() {
    }

    static StudyEvent admitted(String id, String bed, String study, Instant at) {
        return new StudyEvent(id, bed, study, StudyEventType.ADMITTED, "tech", RECORDED, at,
                new Admission("PAT-0001", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT), null, null);
    }

    static StudyEvent mark(String id, String bed, String study, StudyEventType type, Instant at) {
        return mark(id, bed, study, type, at, RECORDED);
    }

    static StudyEvent mark(String id, String bed, String study, StudyEventType type, Instant at, Instant recorded) {
        return new StudyEvent(id, bed, study, type, "tech", recorded, at, null, null, null);
    }

    static StudyEvent amendLightsOn(String id, String bed, String study, Instant at) {
        return new StudyEvent(id, bed, study, StudyEventType.AMENDED, "tech", RECORDED, at, null,
                StudyEventType.LIGHTS_ON, "lights-on entered late");
    }
}
