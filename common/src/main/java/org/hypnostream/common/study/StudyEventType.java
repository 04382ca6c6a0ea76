package org.hypnostream.common.study;

/** The marks of a study's lifecycle ({@code study-events.v1}); AMENDED corrects the time of an earlier mark. */
public enum StudyEventType {
    ADMITTED, LIGHTS_OFF, LIGHTS_ON, ENDED, AMENDED;

    /** The marks an amendment may correct. */
    public boolean amendable() {
        return this == LIGHTS_OFF || this == LIGHTS_ON || this == ENDED;
    }
}
