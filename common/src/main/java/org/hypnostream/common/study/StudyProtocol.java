package org.hypnostream.common.study;

/** What the night is for: a diagnostic polysomnography or a PLM study. */
public enum StudyProtocol {
    DIAGNOSTIC_PSG, PLM_STUDY
}
