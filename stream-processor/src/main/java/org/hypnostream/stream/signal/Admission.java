package org.hypnostream.stream.signal;

/**
 * What the source policy (docs/adr/0004-gaps-duplicates-order.md) decided for one block: apply it at input sample
 * {@code position} (flagging a clock jump), drop it as a duplicate, or reject it to the dead-letter topic.
 *
 * @param reasonCode low-cardinality reason for metrics ("rate", "channels", "out_of_order", ...); null on accept
 * @param message    human-readable reason naming bed, source and block; null on accept
 */
public record Admission(Kind kind, long position, boolean clockJump, String reasonCode, String message) {
    public enum Kind { ACCEPT, DUPLICATE, REJECT }

    static Admission accept(long position, boolean clockJump) {
        return new Admission(Kind.ACCEPT, position, clockJump, null, null);
    }

    static Admission duplicate(String message) {
        return new Admission(Kind.DUPLICATE, -1, false, "duplicate", message);
    }

    public static Admission reject(String reasonCode, String message) {
        return new Admission(Kind.REJECT, -1, false, reasonCode, message);
    }
}
