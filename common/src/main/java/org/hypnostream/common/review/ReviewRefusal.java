package org.hypnostream.common.review;

/** A review event that may not be written (or, read back, is skipped): the message says why. */
public final class ReviewRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReviewRefusal(String message) {
        super(message, null, false, false);
    }
}
