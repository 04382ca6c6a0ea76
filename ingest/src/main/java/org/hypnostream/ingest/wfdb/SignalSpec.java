package org.hypnostream.ingest.wfdb;

/**
 * One signal specification line of a WFDB header: file name (plain, in the header's folder), format (16 only, with an
 * optional byte offset), ADC gain / baseline / units, resolution, zero, initial value, checksum, block size and
 * description; WFDB's defaults where a field is absent.
 */
final class SignalSpec {
    String file;
    int format;
    long byteOffset;
    double gain = 200.0;
    int baseline;
    String units = "mV";
    int adcResolution;
    int adcZero;
    Integer initialValue;
    Integer checksum;
    int blockSize;
    String description = "";

    static SignalSpec parse(String line, String where) {
        String[] f = line.split("\\s+", 9);
        if (f.length < 2) {
            throw WfdbHeader.fail(where, "signal line '" + line + "' needs a file name and a format");
        }
        SignalSpec s = new SignalSpec();
        s.file = f[0];
        if (s.file.contains("/") || s.file.contains("\\") || s.file.equals("..")) {
            throw WfdbHeader.fail(where, "signal file name '" + s.file + "' must be a plain file name");
        }
        String fmt = f[1];
        int plus = fmt.indexOf('+');
        if (plus >= 0) {
            s.byteOffset = WfdbHeader.parseLong(fmt.substring(plus + 1), where, "byte offset");
            fmt = fmt.substring(0, plus);
        }
        String fmtNumber = fmt.split("[x:]", -1)[0];
        s.format = WfdbHeader.parseInt(fmtNumber, where, "format");
        if (!fmtNumber.equals(fmt)) {
            throw WfdbHeader.fail(where, "format '" + f[1] + "' (samples per frame or skew) is not supported");
        }
        if (s.format != 16) {
            throw WfdbHeader.fail(where, "format " + s.format + " is not supported (only format 16)");
        }
        if (s.byteOffset < 0) {
            throw WfdbHeader.fail(where, "negative byte offset " + s.byteOffset);
        }
        boolean baselineGiven = false;
        if (f.length > 2) {
            String g = f[2];
            int slash = g.indexOf('/');
            if (slash >= 0) {
                s.units = g.substring(slash + 1);
                g = g.substring(0, slash);
            }
            int paren = g.indexOf('(');
            if (paren >= 0) {
                if (!g.endsWith(")")) {
                    throw WfdbHeader.fail(where, "gain '" + f[2] + "' has an unclosed baseline");
                }
                s.baseline = WfdbHeader.parseInt(g.substring(paren + 1, g.length() - 1), where, "baseline");
                baselineGiven = true;
                g = g.substring(0, paren);
            }
            double gain = WfdbHeader.parseDouble(g, where, "ADC gain");
            if (gain < 0) {
                throw WfdbHeader.fail(where, "negative ADC gain " + gain);
            }
            s.gain = gain == 0 ? 200.0 : gain;
        }
        s.adcResolution = f.length > 3 ? WfdbHeader.parseInt(f[3], where, "ADC resolution") : 0;
        if (s.adcResolution == 0) {
            s.adcResolution = 16;
        }
        s.adcZero = f.length > 4 ? WfdbHeader.parseInt(f[4], where, "ADC zero") : 0;
        if (!baselineGiven) {
            s.baseline = s.adcZero;
        }
        s.initialValue = f.length > 5 ? WfdbHeader.parseInt(f[5], where, "initial value") : null;
        s.checksum = f.length > 6 ? WfdbHeader.parseInt(f[6], where, "checksum") : null;
        s.blockSize = f.length > 7 ? WfdbHeader.parseInt(f[7], where, "block size") : 0;
        s.description = f.length > 8 ? f[8].strip() : "";
        return s;
    }
}
