package org.hypnostream.ingest.wfdb;

/** A WFDB header or signal file that cannot be read; the message names the file and the problem. */
public final class WfdbFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WfdbFormatException(String message) {
        super(message);
    }
}
