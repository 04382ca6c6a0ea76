package org.hypnostream.ingest.wfdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.tukaani.xz.XZInputStream;

/**
 * A WFDB record's signal files: found in the header's folder only (a name leading out of it is refused), plain or
 * {@code NAME.xz}, with bounded decompression (see {@link WfdbReader} for the limits).
 */
final class SignalFiles {
    private SignalFiles() {
    }

    /** @param declaredBytes what the header says the file holds (at least), or -1 when it does not say */
    static byte[] read(Path dir, String file, String where, long declaredBytes) throws IOException {
        Path plain;
        try {
            plain = dir.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw WfdbHeader.fail(where, "signal file name '" + file.replace('\0', '?') + "' is not a valid file name (corrupt header)");
        }
        if (!plain.startsWith(dir.normalize())) {
            throw WfdbHeader.fail(where, "signal file " + file + " is outside the header's folder " + dir + " (refused)");
        }
        if (Files.isRegularFile(plain)) {
            return Files.readAllBytes(plain);
        }
        Path xz = dir.resolve(file + ".xz");
        if (Files.isRegularFile(xz)) {
            long limit = declaredBytes >= 0 ? Math.min(WfdbReader.MAX_ARRAY_BYTES, declaredBytes + WfdbReader.XZ_SLACK_BYTES) : WfdbReader.MAX_UNDECLARED_BYTES;
            try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(xz)), WfdbReader.XZ_MEMORY_LIMIT_KIB)) {
                byte[] data = readAtMost(in, limit);
                if (data == null) {
                    throw WfdbHeader.fail(where, xz.getFileName() + " decompresses to more than " + limit + " bytes but the header "
                            + (declaredBytes >= 0 ? "declares " + declaredBytes + " bytes of samples"
                            : "declares no sample count (limit " + WfdbReader.MAX_UNDECLARED_BYTES + " bytes)")
                            + "; refused (corrupt file or compression bomb)");
                }
                return data;
            } catch (IOException e) {
                throw new IOException(where + ": cannot decompress " + xz + ": " + e.getMessage(), e);
            }
        }
        throw WfdbHeader.fail(where, "signal file " + file + " not found (nor " + file + ".xz) in " + dir);
    }

    /** Reads {@code in} to its end, or returns null as soon as it yields more than {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[(int) Math.min(limit + 1, 1 << 20)];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > limit) {
                    return null;
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, Math.max(2L * buf.length, 1 << 20)));
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                return len > limit ? null : Arrays.copyOf(buf, len);
            }
            len += r;
        }
    }
}
