package org.hypnostream.stream.signal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a state-store value with a {@link DataOutputStream}; the one place the in-memory I/O boilerplate lives.
 * The spine saves a bed's touched state parts after every block, so each thread writes into one reused buffer and
 * only the returned value is a fresh array (a fresh growing buffer per call cost two to three copies of the value:
 * the largest allocation site of the spine in the 2026-12-07 profile). A writer that itself calls {@link #of}
 * gets a fresh buffer for the inner value; a buffer grown past {@link #KEPT_BYTES} is not kept.
 */
public final class StateBytes {
    static final int KEPT_BYTES = 4 << 20;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The body that writes one state value. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static final class Scratch {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        final DataOutputStream out = new DataOutputStream(bytes);
        boolean busy;
    }

    private StateBytes() {
    }

    public static byte[] of(Writer writer) {
        Scratch s = SCRATCH.get();
        if (s.busy) {
            s = new Scratch();
        } else {
            s.busy = true;
        }
        try {
            s.bytes.reset();
            writer.write(s.out);
            s.out.flush();
            byte[] value = s.bytes.toByteArray();
            if (value.length > KEPT_BYTES) {
                SCRATCH.remove();
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise state", e);
        } finally {
            s.busy = false;
        }
    }
}
