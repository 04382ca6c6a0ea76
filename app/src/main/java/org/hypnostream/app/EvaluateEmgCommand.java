package org.hypnostream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hypnostream.common.config.ModelsFolder;
import org.hypnostream.inference.emg.EmgClasses;
import org.hypnostream.inference.emg.EmgEvaluation;
import org.hypnostream.inference.emg.EmgScreeningModel;
import org.hypnostream.ingest.wfdb.WfdbReader;
import org.hypnostream.ingest.wfdb.WfdbRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream evaluate emg}: every WFDB record in a folder (signal files plain or .xz) through the Java
 * needle-EMG screening path; labels from the record names and headers; per-window and per-recording figures.
 */
@Command(name = "emg", mixinStandardHelpOptions = true,
        description = "Screen every WFDB needle-EMG record in DIR and print per-window and per-recording figures.")
final class EvaluateEmgCommand implements Callable<Integer> {
    static final String MODEL = "emg-alsnet-v2.model.json";

    @Option(names = "--wfdb", required = true, description = "Folder of WFDB records (*.hea + signal files).")
    Path dir;

    @Option(names = "--model", description = "Model card (default: models/" + MODEL + ").")
    Path model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Path card = model != null ? model : modelsDir().resolve(MODEL);
        List<EmgEvaluation.LabelledRecording> recs = new ArrayList<>();
        List<Path> headers;
        try (Stream<Path> s = Files.list(dir)) {
            headers = s.filter(p -> p.getFileName().toString().endsWith(".hea")).sorted().toList();
        }
        if (headers.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no WFDB header (*.hea) files");
        }
        for (Path h : headers) {
            WfdbRecord r = WfdbReader.read(h);
            if (r.signals().size() != 1) {
                throw new IllegalArgumentException(h + ": expected one needle-EMG signal, found " + r.signals().size());
            }
            String unit = r.signals().get(0).units();
            float[] x = r.signals().get(0).physical();
            float[] uv = toMicrovolts(x, unit, h);
            recs.add(new EmgEvaluation.LabelledRecording(r.name(), EmgClasses.labelOf(r.name(), r.comments()), uv,
                    r.samplingFrequencyHz()));
        }
        try (EmgScreeningModel m = EmgScreeningModel.load(card)) {
            EmgEvaluation.Report report = EmgEvaluation.evaluate(m, recs);
            System.out.println(json ? report.toJson() : report.toText());
        }
        return 0;
    }

    private static float[] toMicrovolts(float[] x, String unit, Path where) {
        double f = switch (unit == null ? "" : unit.trim()) {
            case "uV", "µV" -> 1.0;
            case "mV" -> 1e3;
            case "V" -> 1e6;
            default -> throw new IllegalArgumentException(where + ": unknown signal unit '" + unit + "'");
        };
        if (f == 1.0) {
            return x;
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] * f);
        }
        return out;
    }

    static Path modelsDir() {
        return ModelsFolder.resolve();
    }
}
