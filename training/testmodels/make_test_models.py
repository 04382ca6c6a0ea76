#!/usr/bin/python3
"""Builds the tiny ONNX test models of the inference runtime (not clinical models).

Run: /usr/bin/python3 training/testmodels/make_test_models.py
Writes into inference/src/test/resources/models/:
  good/linear-stager-test.onnx        softmax(x W + b), x = [batch, 105] features -> [batch, 5] probabilities
  good/raw-conv-test.onnx             mean over samples of [batch, 2, 64] -> linear -> softmax [batch, 3]
  bad-width/linear-stager-test.*      same graph, card claims 104 features (must be refused)
  bench/mlp-stager-bench.onnx         stager-sized MLP 105-256-256-5 (exported from PyTorch, for the benchmark)
  *.golden.json                       stored inputs and the reference (numpy / PyTorch) outputs
Deterministic (fixed seeds); reruns give byte-identical graphs.
"""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "inference", "src", "test", "resources", "models"))
CLASSES5 = ["W", "N1", "N2", "N3", "REM"]


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def save(model, folder, name):
    os.makedirs(folder, exist_ok=True)
    onnx.checker.check_model(model)
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def card(folder, model_id, onnx_name, sha, inputs, outputs, classes, recipe, extra=None):
    c = {
        "id": model_id, "task": "sleep-staging", "onnx": onnx_name, "sha256": sha,
        "inputs": inputs, "outputs": outputs,
        "input_signals": [{"label": "Fpz-Cz", "unit": "uV", "rate_hz": 100},
                          {"label": "Pz-Oz", "unit": "uV", "rate_hz": 100},
                          {"label": "EOG", "unit": "uV", "rate_hz": 100}],
        "window_seconds": 30, "hop_seconds": 30, "feature_recipe": recipe,
        "output_classes": classes, "prior_epochs": 0,
        "causal_context": {"type": "none"},
        "training_data": "none: random weights (seeded), test fixture only",
        "evaluation": {}, "limits": "test fixture, not a clinical model", "trained_here": True,
    }
    if extra:
        c.update(extra)
    with open(os.path.join(folder, model_id + ".model.json"), "w") as f:
        json.dump(c, f, indent=2)
        f.write("\n")


def golden(folder, model_id, inputs, outputs):
    with open(os.path.join(folder, model_id + ".golden.json"), "w") as f:
        json.dump({"model": model_id, "tolerance": 1e-5,
                   "inputs": np.asarray(inputs, dtype=np.float32).tolist(),
                   "outputs": np.asarray(outputs, dtype=np.float32).tolist()}, f)
        f.write("\n")


def linear_stager():
    rng = np.random.default_rng(3)
    w = (rng.standard_normal((105, 5)) * 0.2).astype(np.float32)
    b = (rng.standard_normal(5) * 0.1).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["features", "W"], ["logits0"]),
         helper.make_node("Add", ["logits0", "b"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)],
        "linear_stager_test",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 105])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 5])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="hypnostream-testmodels")
    model.ir_version = 7
    x = rng.standard_normal((8, 105)).astype(np.float32)
    y = softmax(x.astype(np.float64) @ w.astype(np.float64) + b.astype(np.float64))
    return model, x, y


def raw_conv():
    rng = np.random.default_rng(5)
    w = (rng.standard_normal((2, 3)) * 0.5).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["signal"], ["mean"], axes=[2], keepdims=0),
         helper.make_node("MatMul", ["mean", "W"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)],
        "raw_conv_test",
        [helper.make_tensor_value_info("signal", TensorProto.FLOAT, ["batch", 2, 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(w, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="hypnostream-testmodels")
    model.ir_version = 7
    x = rng.standard_normal((4, 2, 64)).astype(np.float32)
    y = softmax(x.astype(np.float64).mean(axis=2) @ w.astype(np.float64))
    return model, x, y


def mlp_bench(folder):
    import torch
    torch.manual_seed(7)
    net = torch.nn.Sequential(torch.nn.Linear(105, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                              torch.nn.ReLU(), torch.nn.Linear(256, 5), torch.nn.Softmax(dim=1)).eval()
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "mlp-stager-bench.onnx")
    x = torch.randn(8, 105)
    torch.onnx.export(net, x, path, input_names=["features"], output_names=["probabilities"],
                      dynamic_axes={"features": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13)
    with torch.no_grad():
        y = net(x).numpy()
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    return sha, x.numpy(), y


def main():
    good = os.path.join(OUT, "good")
    f105 = [{"name": "features", "shape": [-1, 105], "type": "float32"}]
    p5 = [{"name": "probabilities", "shape": [-1, 5], "type": "float32"}]

    model, x, y = linear_stager()
    sha = save(model, good, "linear-stager-test.onnx")
    card(good, "linear-stager-test", "linear-stager-test.onnx", sha, f105, p5, CLASSES5, "test-105",
         {"causal_context": {"type": "exponential-smoothing", "alpha": 0.7}})
    golden(good, "linear-stager-test", x, y)

    model, x, y = raw_conv()
    sha = save(model, good, "raw-conv-test.onnx")
    card(good, "raw-conv-test", "raw-conv-test.onnx", sha,
         [{"name": "signal", "shape": [-1, 2, 64], "type": "float32"}],
         [{"name": "probabilities", "shape": [-1, 3], "type": "float32"}], ["A", "B", "C"], None)
    golden(good, "raw-conv-test", x, y)

    bad = os.path.join(OUT, "bad-width")
    model, _, _ = linear_stager()
    sha = save(model, bad, "linear-stager-test.onnx")
    card(bad, "linear-stager-test", "linear-stager-test.onnx", sha,
         [{"name": "features", "shape": [-1, 104], "type": "float32"}], p5, CLASSES5, "test-105")

    bench = os.path.join(OUT, "bench")
    sha, x, y = mlp_bench(bench)
    card(bench, "mlp-stager-bench", "mlp-stager-bench.onnx", sha, f105, p5, CLASSES5, "test-105")
    golden(bench, "mlp-stager-bench", x, y)
    print("wrote test models under", OUT)


if __name__ == "__main__":
    main()
