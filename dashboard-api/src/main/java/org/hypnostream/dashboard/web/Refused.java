package org.hypnostream.dashboard.web;

/** A request the body or the lifecycle refused: the status and the message for the user. */
final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
