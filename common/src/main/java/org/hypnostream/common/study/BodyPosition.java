package org.hypnostream.common.study;

/** Body position of a POSITION_CHANGE bedside event. */
public enum BodyPosition {
    SUPINE, PRONE, LEFT, RIGHT, UPRIGHT
}
