package org.hypnostream.common.event;

/** IEC 60601-1-8 alarm priorities: HIGH immediate (red, fast flash), MEDIUM prompt (yellow, slow flash), LOW awareness (cyan/yellow, steady). */
public enum AlertPriority {
    HIGH, MEDIUM, LOW
}
