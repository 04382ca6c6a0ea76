package org.hypnostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hypnostream.inference.stage.StagerEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream evaluate stager}: the Java causal stager (ONNX + HMM forward filter) over every night file in a
 * folder, in time order, scoring every expert-labelled epoch (absent-feature epochs from prior epochs only).
 */
@Command(name = "stager", mixinStandardHelpOptions = true,
        description = "Score every expert-labelled epoch of every night in DIR with the Java stager and print the figures.")
final class EvaluateStagerCommand implements Callable<Integer> {
    @Option(names = "--features", required = true, description = "Folder of SC*.npz night files (sleep-edf-sc-features layout).")
    Path features;

    @Option(names = "--model", description = "Model card (default: the stager card in the models folder).")
    Path model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        System.out.println(model == null ? StagerEvaluation.run(features, json) : StagerEvaluation.run(features, model, json));
        return 0;
    }
}
