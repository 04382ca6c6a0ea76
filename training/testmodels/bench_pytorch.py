#!/usr/bin/python3
"""PyTorch eager reference for ScoringBenchmark: the same MLP (weights read from the ONNX file's initializers),
same batch sizes, same timing method (1 s warm-up, then N s of back-to-back calls).

Run: /usr/bin/python3 training/testmodels/bench_pytorch.py [seconds]
"""
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX = os.path.join(HERE, "..", "..", "inference", "src", "test", "resources", "models", "bench", "mlp-stager-bench.onnx")


def load():
    g = onnx.load(ONNX).graph
    w = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    gemm = [n for n in g.node if n.op_type in ("Gemm", "MatMul")]
    net = torch.nn.Sequential(torch.nn.Linear(105, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256),
                              torch.nn.ReLU(), torch.nn.Linear(256, 5), torch.nn.Softmax(dim=1)).eval()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    assert len(gemm) == 3, [n.op_type for n in g.node]
    for lin, node in zip(linears, gemm):
        wt = w[node.input[1]]
        bias = w[node.input[2]]
        transposed = any(a.name == "transB" and a.i == 1 for a in node.attribute)
        lin.weight.data = torch.from_numpy(wt.copy() if transposed else wt.T.copy())
        lin.bias.data = torch.from_numpy(bias.copy())
    return net


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    net = load()
    import json
    with open(ONNX.replace(".onnx", ".golden.json")) as f:
        golden = json.load(f)
    with torch.no_grad():
        y = net(torch.tensor(golden["inputs"], dtype=torch.float32)).numpy()
    err = float(np.abs(y - np.asarray(golden["outputs"], dtype=np.float32)).max())
    assert err < 1e-6, err
    print("weights check: max |torch - golden| =", err)
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    print("batch | epochs/s | call p50 ms | call p99 ms | per-epoch us")
    with torch.no_grad():
        for batch in (1, 16, 64, 100, 256):
            x = torch.from_numpy(np.random.default_rng(batch).standard_normal((batch, 105)).astype(np.float32))
            end = time.perf_counter() + 1.0
            while time.perf_counter() < end:
                net(x)
            lat = []
            t0 = time.perf_counter()
            end = t0 + seconds
            while time.perf_counter() < end:
                s = time.perf_counter()
                net(x)
                lat.append(time.perf_counter() - s)
            total = time.perf_counter() - t0
            lat.sort()
            n = len(lat)
            print("%5d | %8.0f | %11.3f | %11.3f | %12.2f" % (batch, n * batch / total, lat[n // 2] * 1e3,
                                                             lat[min(n - 1, int(np.ceil(n * 0.99)) - 1)] * 1e3,
                                                             total * 1e6 / (n * batch)))


if __name__ == "__main__":
    main()
