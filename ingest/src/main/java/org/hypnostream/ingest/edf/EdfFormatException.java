package org.hypnostream.ingest.edf;

/** A file that is not valid EDF/EDF+; the message names the file and the problem. */
public final class EdfFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EdfFormatException(String message) {
        super(message);
    }
}
