package org.hypnostream.stream.signal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a state-store value with a {@link DataOutputStream}; the one place the in-memory I/O boilerplate lives. */
public final class StateBytes {

    /** The body that writes one state value. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private StateBytes() {
    }

    public static byte[] of(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise state", e);
        }
    }
}
