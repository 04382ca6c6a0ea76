package org.hypnostream.common.wire;

/** A byte sequence that is not a valid frame of the binary wire format; the message says where and why. */
public final class BlockFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BlockFormatException(String message) {
        super(message);
    }

    public BlockFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
