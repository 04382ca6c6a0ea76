package org.hypnostream.common.event;

public enum LegSide {
    LEFT, RIGHT, BILATERAL
}
