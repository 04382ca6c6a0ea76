package org.hypnostream.ingest.outbox;

/**
 * The outbox directory cannot take a block (not writable, not a directory, or too little free space). The block was
 * NOT journaled: the caller keeps it and retries; a gateway raises technical alert {@link #ALERT_CODE}.
 */
public final class OutboxUnwritableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String ALERT_CODE = "OUTBOX_UNWRITABLE";

    public OutboxUnwritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
