"""Independent numpy/scipy implementation of the 105-feature recipe (shared/design/stager-features.md), and the
synthetic epochs that check the Java port against it (inference/src/test/resources/stager/synthetic-features.json).

/usr/bin/python3 training/stager/features.py            # checks the test vectors, writes the synthetic file
"""
import json
import os
import sys

import numpy as np
from scipy import stats

N = 3000
FS = 100.0
MASK64 = (1 << 64) - 1
# EDFlib conversion of the Sleep-EDF Fpz-Cz channel (phys -192..192, dig -2048..2047)
BITVALUE = (192.0 - -192.0) / (2047.0 - -2048.0)
OFFSET = 192.0 / BITVALUE - 2047.0


def binned_entropy(v, bins):
    counts, _ = np.histogram(v, bins=bins)
    p = counts[counts > 0] / len(v)
    return float(-np.sum(p * np.log2(p)))


def higuchi(x, kmax=10):
    n = len(x)
    lk = []
    for k in range(1, kmax + 1):
        lm = []
        for m in range(1, k + 1):
            nm = (n - m) // k
            idx = m - 1 + np.arange(nm + 1) * k
            s = float(np.sum(np.abs(np.diff(x[idx]))))
            lm.append((s * n) / (k * nm * (n - 1)))
        lk.append(np.mean(lm))
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(np.array(lk))
        xx = np.log(1.0 / np.arange(1, kmax + 1))
        return float(np.polyfit(xx, y, 1)[0]) if np.all(np.isfinite(y)) else float("nan")


def signal_features(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = [np.std(x), np.percentile(x, 75) - np.percentile(x, 25), stats.skew(x), stats.kurtosis(x)]
        f.append(float(np.sum(np.sign(x[:-1]) != np.sign(x[1:]))))
        d1 = np.diff(x)
        d2 = np.diff(d1)
        mob = np.sqrt(np.var(d1) / np.var(x))
        f += [mob, np.sqrt(np.var(d2) / np.var(d1)) / mob, higuchi(x)]
        nd = int(np.sum(d1[:-1] * d1[1:] < 0))
        f.append(np.log10(N) / (np.log10(N) + np.log10(1 + 0.4 * nd)))
        f += [binned_entropy(x, b) for b in (5, 10, 30, 60)]
        r = np.concatenate([x[:1], x[:0:-1]])
        a = N * np.abs(r)
        p = a * a
        freqs = np.fft.fftfreq(N, 1.0 / FS)
        c = np.sum(freqs * p) / np.sum(p)
        f += [c, np.sum((freqs - c) ** 2 * p) / np.sum(p), stats.skew(a), stats.kurtosis(a)]
        f += [binned_entropy(p, b) for b in (2, 3, 5, 10, 30, 60, 100)]
        bands = [(0.4, 1), (1, 4), (4, 8), (8, 12), (12, 16), (16, 30)]
        bp = [float(np.sum(p[(freqs >= lo) & (freqs <= hi)])) for lo, hi in bands]
        f += bp + [bp[1] + bp[2], bp[3] / bp[2], bp[0] / bp[5], bp[0] / bp[4], bp[0] / bp[2]]
    return [float(v) for v in f]


def epoch_features(signals):
    return sum((signal_features(s) for s in signals), [])


def synthetic_digital(kind, seed):
    """Integer-only generator (Java regenerates it bit for bit): 64-bit LCG noise plus a shape per kind."""
    state = seed & MASK64
    out = []
    for i in range(N):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        noise = (state >> 33) % 201 - 100
        if kind == "square":
            d = (300 if (i // 50) % 2 == 0 else -300) + noise // 16
        elif kind == "dc":
            d = 900 + noise // 4
        elif kind == "spiky":
            d = noise // 8 + (1500 if i % 397 == 0 else 0)
        else:  # "wave": noise on a triangle wave
            d = noise + 6 * (abs((i * 3) % 400 - 200) - 100)
        out.append(max(-2048, min(2047, d)))
    return out


def synthetic_signal(kind, seed):
    return [BITVALUE * (OFFSET + d) for d in synthetic_digital(kind, seed)]


SYNTHETIC = [(["wave", "dc", "spiky"], [1, 2, 3]), (["spiky", "wave", "wave"], [4, 5, 6]),
             (["wave", "square", "dc"], [7, 8, 9])]
# a flat signal is left out: its degenerate cells (0/0 vs 0/1e-31) depend on summation order; the stager never
# computes features of a flat channel (EpochQuality), and the Java edge cases are tested against the spec instead


def check_test_vectors(shared):
    """The numpy recipe on the snippet EDF against the reference CSV (maximum relative error, excluding §8.3's cell)."""
    edf = open(os.path.join(shared, "data", "snippets", "edfio_short_psg_SC4001E0_first5min.edf"), "rb").read()
    ns = int(edf[252:256])
    spr = [int(edf[256 + ns * 216 + 8 * s:256 + ns * 216 + 8 * s + 8]) for s in range(ns)]
    recs = int(edf[236:244])
    sigs = []
    for s in range(3):
        f = lambda off: float(edf[256 + ns * off + 8 * s:256 + ns * off + 8 * s + 8])  # noqa: E731
        pmin, pmax, dmin, dmax = f(104), f(112), f(120), f(128)
        bv = (pmax - pmin) / (dmax - dmin)
        off = pmax / bv - dmax
        data = np.frombuffer(edf[256 + ns * 256:], dtype="<i2").reshape(recs, sum(spr))
        start = sum(spr[:s])
        sigs.append(bv * (off + data[:, start:start + spr[s]].reshape(-1).astype(np.float64)))
    lines = open(os.path.join(shared, "data", "test-vectors", "sc4001e0-first5min-features.csv")).read().split()
    names = lines[0].split(",")
    worst = 0.0
    for e in range(10):
        got = epoch_features([s[e * N:(e + 1) * N] for s in sigs])
        ref = [float(v) for v in lines[e + 1].split(",")]
        for j in range(105):
            if e == 3 and names[j] == "fpzcz_psd_entropy_100":
                continue
            worst = max(worst, abs(got[j] - ref[j]) / max(abs(ref[j]), 1e-300))
    return worst


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    shared = os.path.join(os.path.dirname(repo), "shared")
    worst = check_test_vectors(shared)
    print(f"numpy recipe vs test vectors: max relative error {worst:.3g} (1049 cells)")
    if worst > 1e-9:
        sys.exit("numpy recipe does not reproduce the test vectors")
    epochs = []
    for kinds, seeds in SYNTHETIC:
        feats = epoch_features([synthetic_signal(k, s) for k, s in zip(kinds, seeds)])
        epochs.append({"kinds": kinds, "seeds": seeds,
                       "features": [None if not np.isfinite(v) else v for v in feats]})
    out = os.path.join(repo, "inference", "src", "test", "resources", "stager", "synthetic-features.json")
    with open(out, "w") as f:
        json.dump({"bitvalue": BITVALUE, "offset": OFFSET, "epochs": epochs}, f, indent=1)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
