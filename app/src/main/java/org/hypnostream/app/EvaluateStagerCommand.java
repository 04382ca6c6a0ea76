package org.hypnostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hypnostream.inference.stage.StagerEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hypnostream evaluate stager}: the Java stager (default: stager v3, ONNX GRU window + chain) over every night
 * file in a folder, in time order, scoring every expert-labelled epoch (absent-feature epochs from prior epochs);
 * {@code --revised}: the morning re-score (non-causal) of each whole night, scored the same way.
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

    @Option(names = "--revised", description = "Score the morning re-score (non-causal revised hypnogram) instead of "
            + "the live causal stages.")
    boolean revised;

    @Override
    public Integer call() throws Exception {
        System.out.println(StagerEvaluation.run(features, model == null ? StagerEvaluation.defaultCard() : model, json,
                revised));
        return 0;
    }
}
