package org.hypnostream.common.study;

/** Where a bed's study stands. NONE = no study admitted yet (or the last one ended and no new one). */
public enum StudyState {
    NONE, ADMITTED, LIGHTS_OFF, LIGHTS_ON, ENDED
}
