package org.hypnostream.ingest.edf;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;

/** EDF header field access (ASCII, integer, decimal, start time) with errors that name the file. */
final class HeaderFields {
    private final String name;
    private final byte[] b;

    HeaderFields(String name, byte[] b) {
        this.name = name;
        this.b = b;
    }

    EdfFormatException fail(String problem) {
        return new EdfFormatException(name + ": " + problem);
    }

    String ascii(int offset, int len) {
        if (offset + len > b.length) {
            throw fail("header ends at byte " + b.length + ", field at " + offset + " needs " + len + " bytes (truncated)");
        }
        for (int i = offset; i < offset + len; i++) {
            if (b[i] >= 0 && b[i] < 32 || b[i] == 127) {
                throw fail("header byte " + i + " is a control character (corrupt header)");
            }
        }
        return new String(b, offset, len, StandardCharsets.UTF_8).trim();
    }

    int integer(int offset, int len, String what) {
        String s = ascii(offset, len);
        try {
            return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw fail(what + " is '" + s + "', not an integer (corrupt header)");
        }
    }

    double decimal(int offset, int len, String what) {
        String s = ascii(offset, len);
        try {
            double d = Double.parseDouble(s.replace(',', '.'));
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw fail(what + " is '" + s + "', not a number (corrupt header)");
        }
    }

    LocalDateTime startTime(String date, String time) {
        String[] d = date.split("\\.");
        String[] t = time.split("[.:]");
        try {
            if (d.length != 3 || t.length != 3) {
                throw new NumberFormatException();
            }
            int yy = Integer.parseInt(d[2]);
            int year = yy >= 85 ? 1900 + yy : 2000 + yy;
            return LocalDateTime.of(year, Integer.parseInt(d[1]), Integer.parseInt(d[0]),
                    Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]));
        } catch (NumberFormatException | DateTimeException e) {
            throw fail("start date/time '" + date + " " + time + "' is not dd.mm.yy hh.mm.ss (corrupt header)");
        }
    }
}
