package org.hypnostream.inference.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A model card ({@code models/<id>.model.json}) describing an ONNX model: the contract the inference service checks
 * the graph against before it scores anything. JSON keys are snake_case (see docs/adr/0005-model-packaging.md).
 *
 * <pre>
 * { "id": "stager-features-welch-hmm-v2", "task": "sleep-staging", "onnx": "stager-features-welch-hmm-v2.onnx", "sha256": "...",
 *   "inputs":  [ {"name": "features", "shape": [-1, 105], "type": "float32"} ],
 *   "outputs": [ {"name": "probabilities", "shape": [-1, 5], "type": "float32"} ],
 *   "input_signals": [ {"label": "Fpz-Cz", "unit": "uV", "rate_hz": 100} ],
 *   "window_seconds": 30, "hop_seconds": 30, "feature_recipe": "sleep-edf-sc-35x3",
 *   "output_classes": ["W","N1","N2","N3","REM"], "prior_epochs": 0,
 *   "causal_context": { "type": "hmm-forward", ... model-specific parameters ... },
 *   "training_data": "...", "evaluation": { ... figures ... }, "limits": "...", "trained_here": true }
 * </pre>
 * A dimension of -1 is dynamic (the batch axis).
 */
public record ModelCard(
        String id,
        String task,
        String onnx,
        String sha256,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        @JsonProperty("input_signals") List<SignalSpec> inputSignals,
        @JsonProperty("window_seconds") double windowSeconds,
        @JsonProperty("hop_seconds") double hopSeconds,
        @JsonProperty("feature_recipe") String featureRecipe,
        @JsonProperty("output_classes") List<String> outputClasses,
        @JsonProperty("prior_epochs") int priorEpochs,
        @JsonProperty("causal_context") JsonNode causalContext,
        @JsonProperty("training_data") String trainingData,
        JsonNode evaluation,
        String limits,
        @JsonProperty("trained_here") boolean trainedHere) {

    public static final String TASK_STAGING = "sleep-staging";
    public static final String TASK_LEG = "leg-movement";
    public static final String TASK_NEUROMUSCULAR = "neuromuscular-screening";

    public ModelCard {
        Objects.requireNonNull(id, "model card without id");
        Objects.requireNonNull(task, "model card " + id + " without task");
        Objects.requireNonNull(onnx, "model card " + id + " without onnx file name");
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        inputSignals = inputSignals == null ? List.of() : List.copyOf(inputSignals);
        outputClasses = outputClasses == null ? List.of() : List.copyOf(outputClasses);
    }

    /** One graph input or output: name, shape (-1 = dynamic), element type ("float32"). */
    public record TensorSpec(String name, List<Long> shape, String type) {
        public TensorSpec {
            Objects.requireNonNull(name, "tensor without name");
            shape = shape == null ? List.of() : List.copyOf(shape);
            type = type == null ? "float32" : type;
        }
    }

    /** One input signal: montage label, unit, sample rate. */
    public record SignalSpec(String label, String unit, @JsonProperty("rate_hz") double rateHz) {
    }
}
