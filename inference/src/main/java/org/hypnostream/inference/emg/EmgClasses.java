package org.hypnostream.inference.emg;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The screening classes and how a N2001-style record gets its label (record name, cross-checked with #diagnosis). */
public final class EmgClasses {
    public static final String ALS = "ALS";
    public static final String MYOPATHY = "myopathy";
    public static final String NORMAL = "normal";
    /** Model output order. */
    public static final List<String> ALL = List.of(ALS, MYOPATHY, NORMAL);

    private static final Pattern NAME = Pattern.compile("^N2001([AMC])(\\d\\d)");

    private EmgClasses() {
    }

    /** Index of a class name in {@link #ALL} (case-insensitive; "control" means normal). */
    public static int index(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        return switch (l) {
            case "als" -> 0;
            case "myopathy" -> 1;
            case "normal", "control" -> 2;
            default -> throw new IllegalArgumentException("unknown EMG class '" + label + "', expected one of " + ALL);
        };
    }

    /**
     * The class of an N2001 record: the letter after {@code N2001} (A = ALS, M = myopathy, C = control/normal),
     * checked against a {@code diagnosis:} header comment when there is one.
     *
     * @param comments header comment lines without the leading '#' (may be empty)
     * @throws IllegalArgumentException naming the record when the name has no class letter or contradicts the header
     */
    public static String labelOf(String recordName, List<String> comments) {
        Matcher m = NAME.matcher(recordName);
        if (!m.find()) {
            throw new IllegalArgumentException("record " + recordName + ": name does not start with N2001<A|M|C><nn>, no class");
        }
        String label = switch (m.group(1)) {
            case "A" -> ALS;
            case "M" -> MYOPATHY;
            default -> NORMAL;
        };
        for (String c : comments) {
            String t = c.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("diagnosis:")) {
                String d = t.substring("diagnosis:".length()).trim().toLowerCase(Locale.ROOT);
                String implied = d.contains("control") || d.contains("healty") || d.contains("healthy") ? NORMAL
                        : List.of(d.split("\\s+")).contains("als") ? ALS : MYOPATHY;
                if (!implied.equals(label)) {
                    throw new IllegalArgumentException("record " + recordName + ": name says " + label + " but #diagnosis says '" + d + "'");
                }
            }
        }
        return label;
    }

    /** The subject id of an N2001 record name ("A01" for N2001A01BB01). */
    public static String subjectOf(String recordName) {
        Matcher m = NAME.matcher(recordName);
        if (!m.find()) {
            throw new IllegalArgumentException("record " + recordName + ": name does not start with N2001<A|M|C><nn>");
        }
        return m.group(1) + m.group(2);
    }
}
