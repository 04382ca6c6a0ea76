package org.hypnostream.inference.stage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads numpy {@code .npz} files (a zip of {@code .npy} arrays, stored or deflated): npy format 1.x/2.x/3.x, C order,
 * little-endian float32/float64, int8/16/32/64, uint8 and bool. Values are widened to double (exact for these types).
 */
public final class NpzReader {
    private static final long MAX_ENTRY_BYTES = 1L << 30;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzReader() {
    }

    /** One array: dtype as in the npy header (e.g. "<f4"), shape, values in C order. */
    public record NpyArray(String name, String dtype, int[] shape, double[] values) {
        public NpyArray {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Row {@code i} of a 2-D array. */
        public double[] row(int i) {
            int w = shape[1];
            return Arrays.copyOfRange(values, i * w, (i + 1) * w);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NpyArray a && name.equals(a.name) && dtype.equals(a.dtype)
                    && Arrays.equals(shape, a.shape) && Arrays.equals(values, a.values);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "NpyArray[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
        }
    }

    /**
     * All arrays of an npz file, keyed by name without ".npy".
     *
     * @throws IOException naming the file and the array when the file is not a readable npz of supported arrays
     */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory() || !e.getName().endsWith(".npy")) {
                    continue;
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                try {
                    out.put(name, parse(name, readAll(zin)));
                } catch (IllegalArgumentException ex) {
                    throw new IOException(file + ": array " + name + ": " + ex.getMessage(), ex);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no .npy arrays (not an npz file?)");
        }
        return out;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) > 0) {
            bos.write(buf, 0, r);
            if (bos.size() > MAX_ENTRY_BYTES) {
                throw new IOException("npy entry larger than " + MAX_ENTRY_BYTES + " bytes");
            }
        }
        return bos.toByteArray();
    }

    /** Parses one {@code .npy} payload. */
    static NpyArray parse(String name, byte[] bytes) {
        if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N' || bytes[2] != 'U' || bytes[3] != 'M'
                || bytes[4] != 'P' || bytes[5] != 'Y') {
            throw new IllegalArgumentException("not an npy array (bad magic)");
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("unsupported npy version " + major);
        }
        if (headerLen < 0 || headerStart + headerLen > bytes.length) {
            throw new IllegalArgumentException("truncated npy header");
        }
        String header = new String(bytes, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if ("True".equals(group(FORTRAN, header, "fortran_order"))) {
            throw new IllegalArgumentException("Fortran-order arrays are not supported");
        }
        int[] shape = Arrays.stream(group(SHAPE, header, "shape").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        int size = elementSize(descr);
        int dataStart = headerStart + headerLen;
        if (count * size > bytes.length - dataStart) {
            throw new IllegalArgumentException("data truncated: shape " + Arrays.toString(shape) + " of " + descr
                    + " needs " + count * size + " bytes, has " + (bytes.length - dataStart));
        }
        double[] v = new double[(int) count];
        bb.position(dataStart);
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (descr) {
                case "<f4" -> bb.getFloat();
                case "<f8" -> bb.getDouble();
                case "|i1", "<i1" -> bb.get();
                case "|u1", "<u1" -> Byte.toUnsignedInt(bb.get());
                case "|b1" -> bb.get() != 0 ? 1 : 0;
                case "<i2" -> bb.getShort();
                case "<i4" -> bb.getInt();
                case "<i8" -> bb.getLong();
                default -> throw new IllegalArgumentException("unsupported dtype " + descr);
            };
        }
        return new NpyArray(name, descr, shape, v);
    }

    private static int elementSize(String descr) {
        return switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "<i2" -> 2;
            case "|i1", "<i1", "|u1", "<u1", "|b1" -> 1;
            default -> throw new IllegalArgumentException("unsupported dtype " + descr
                    + " (supported: <f4 <f8 |i1 |u1 |b1 <i2 <i4 <i8)");
        };
    }

    private static String group(Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("npy header without '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
