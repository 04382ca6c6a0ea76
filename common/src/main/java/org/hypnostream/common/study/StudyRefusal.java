package org.hypnostream.common.study;

/** A lifecycle mark or bedside event that the study's state does not allow; the message says why, for the user. */
public final class StudyRefusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public StudyRefusal(String message) {
        super(message);
    }
}
