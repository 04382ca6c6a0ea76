package org.hypnostream.ingest.edf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Parser of EDF+ time-stamped annotation lists (TALs) in one record's annotation signal bytes. */
final class Tal {
    private Tal() {
    }

    /**
     * Adds the record's annotations to {@code out} and returns the onset of its time-keeping TAL (the first TAL,
     * normally with no annotation text), or null when there is none.
     */
    static Double parse(byte[] b, int from, int len, List<EdfAnnotation> out, String file, int record) {
        Double keeping = null;
        int end = from + len;
        int i = from;
        boolean firstTal = true;
        while (i < end && b[i] != 0) {
            int talEnd = i;
            while (talEnd < end && b[talEnd] != 0) {
                talEnd++;
            }
            if (talEnd >= end) {
                throw new EdfFormatException(file + ": data record " + record + ": TAL not terminated by a 0 byte");
            }
            String tal = new String(b, i, talEnd - i, StandardCharsets.UTF_8);
            String[] parts = tal.split("\u0014", -1);
            if (parts.length < 2) {
                throw new EdfFormatException(file + ": data record " + record + ": malformed TAL '" + printable(tal) + "'");
            }
            String[] time = parts[0].split("\u0015", -1);
            double onset = number(time[0], file, record, "onset", true);
            double duration = time.length > 1 && !time[1].isEmpty() ? number(time[1], file, record, "duration", false) : 0.0;
            for (int k = 1; k < parts.length; k++) {
                if (!parts[k].isEmpty()) {
                    out.add(new EdfAnnotation(onset, duration, parts[k]));
                }
            }
            if (firstTal) {
                keeping = onset; // the first TAL of a record time-keeps it (normally with no text)
            }
            firstTal = false;
            i = talEnd + 1;
        }
        return keeping;
    }

    private static double number(String s, String file, int record, String what, boolean signed) {
        if (s.isEmpty() || signed && (s.charAt(0) != '+' && s.charAt(0) != '-')) {
            throw new EdfFormatException(file + ": data record " + record + ": TAL " + what + " '" + printable(s)
                    + "' must start with + or -");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new EdfFormatException(file + ": data record " + record + ": TAL " + what + " '" + printable(s)
                    + "' is not a number");
        }
    }

    private static String printable(String s) {
        return s.replaceAll("[\\x00-\\x1f]", "?");
    }
}
