"""Trains the causal raw-waveform sleep stager on original Sleep-EDF EDF files and exports ONNX + model card.

Network: a multi-resolution CNN per 30-s epoch (AttnSleep / DeepSleepNet spirit: a fine branch with short kernels and
a coarse branch with long kernels over Fpz-Cz, Pz-Oz and EOG at 100 Hz) followed by a unidirectional GRU over the
last K epochs (TinySleepNet spirit). Graph input "signals" [batch, K, 3, 3000] in uV, oldest epoch first, the epoch
to score last; output "probabilities" [batch, 5] (W, N1, N2, N3, REM) for the last epoch. Causal by construction:
the GRU runs forward only, and the window holds the current and prior epochs only. A prior epoch that does not
exist (start of the night) or was unusable is all zeros: training zeroes random prefixes and single prior epochs so
the network learns that zeros mean "no context". Amplitude scaling (a fixed per-channel scale from the training
data) is inside the graph, so Java feeds uV.

Run with /usr/bin/python3 (Debian torch 1.13, numpy, onnx). See README.md beside this file.
"""
import argparse
import datetime
import hashlib
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sleep_edf  # noqa: E402


class EpochEncoder(nn.Module):
    """Multi-resolution CNN: [n, 3, 3000] -> [n, features]."""

    def __init__(self, width):
        super().__init__()

        def branch(k1, s1, pool1, k2, pool2):
            return nn.Sequential(
                nn.Conv1d(3, width, k1, stride=s1, padding=k1 // 2, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
                nn.MaxPool1d(pool1), nn.Dropout(0.3),
                nn.Conv1d(width, 2 * width, k2, padding=k2 // 2, bias=False), nn.BatchNorm1d(2 * width), nn.ReLU(),
                nn.MaxPool1d(pool2))

        self.fine = branch(50, 6, 8, 8, 4)      # ~0.5 s kernels: spindles, alpha, K-complex edges
        self.coarse = branch(400, 50, 4, 6, 2)  # ~4 s kernels: delta waves, slow eye movements
        self.features = 8 * width               # (mean, max) x 2 branches x 2*width channels

    def forward(self, x):
        a, b = self.fine(x), self.coarse(x)
        return torch.cat([a.mean(-1), a.amax(-1), b.mean(-1), b.amax(-1)], dim=1)


class RawStager(nn.Module):
    def __init__(self, context, width, hidden, scale):
        super().__init__()
        self.context = context
        self.register_buffer("inv_scale", torch.tensor(1.0 / np.asarray(scale), dtype=torch.float32).view(1, 3, 1))
        self.encoder = EpochEncoder(width)
        self.project = nn.Sequential(nn.Linear(self.encoder.features, hidden), nn.ReLU(), nn.Dropout(0.3))
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(sleep_edf.CLASSES))

    def logits(self, signals):
        """[b, K, 3, 3000] -> logits [b, K, 5] (position k sees epochs 0..k only)."""
        x = signals.reshape(-1, 3, sleep_edf.EPOCH_SAMPLES) * self.inv_scale
        f = self.project(self.encoder(x)).reshape(-1, self.context, self.gru.hidden_size)
        h, _ = self.gru(f)
        return self.head(h)

    def forward(self, signals):
        return torch.softmax(self.logits(signals)[:, -1, :], dim=-1)


def windows(sig, end, context, drop=None):
    """Epochs end-K+1..end of a night as [K, 3, 3000]; before the night, or where drop says, zeros."""
    w = np.zeros((context, 3, sleep_edf.EPOCH_SAMPLES), dtype=np.float32)
    for k in range(context):
        j = end - context + 1 + k
        if j >= 0 and not (drop is not None and j in drop):
            w[k] = sig[j]
    return w


def load_folder(folder, trim):
    pairs, unpaired = sleep_edf.pair_files(folder)
    if unpaired:
        print(f"warning: recordings without a PSG/hypnogram partner skipped: {unpaired}", file=sys.stderr)
    if not pairs:
        raise SystemExit(f"{folder}: no PSG + Hypnogram EDF pairs (e.g. SC4001E0-PSG.edf + SC4001EC-Hypnogram.edf)")
    nights = []
    for code, psg, hyp in pairs:
        sig, lab = sleep_edf.load_night(psg, hyp, trim)
        print(f"{code}: {len(lab)} epochs, {int((lab >= 0).sum())} scored ({os.path.basename(psg)}, "
              f"{os.path.basename(hyp)})")
        nights.append({"code": code, "subject": sleep_edf.subject_of(code), "signals": sig, "labels": lab,
                       "files": [os.path.basename(psg), os.path.basename(hyp)]})
    return nights


def split_subjects(nights, val_fraction, seed):
    subjects = sorted({n["subject"] for n in nights})
    rng = np.random.default_rng(seed)
    rng.shuffle(subjects)
    n_val = int(round(len(subjects) * val_fraction)) if len(subjects) > 1 else 0
    n_val = min(max(n_val, 1 if len(subjects) > 1 and val_fraction > 0 else 0), len(subjects) - 1)
    val = set(subjects[:n_val])
    return [n for n in nights if n["subject"] not in val], [n for n in nights if n["subject"] in val]


def channel_scale(nights):
    """Per-channel median of epoch standard deviations (uV): the fixed in-graph amplitude scale."""
    std = np.concatenate([n["signals"].std(axis=2) for n in nights])
    return np.maximum(np.median(std, axis=0), 1.0).astype(np.float64)


def sample_batch(nights, index, batch, context, rng):
    """Random scored epochs with their prior windows; random prefixes and single prior epochs zeroed."""
    xs, ys = [], []
    for _ in range(batch):
        night, t = index[rng.integers(len(index))]
        n = nights[night]
        drop = set()
        if rng.random() < 0.25:  # start of the night / a run of unusable epochs
            drop.update(range(t - context + 1, t - int(rng.integers(0, context))))
        if rng.random() < 0.15 and context > 1:
            drop.add(t - int(rng.integers(1, context)))
        drop.discard(t)
        xs.append(windows(n["signals"], t, context, drop))
        lab = np.array([n["labels"][j] if j >= 0 and j not in drop else -1
                        for j in range(t - context + 1, t + 1)], dtype=np.int64)
        ys.append(lab)
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def stream_night(model, night, context, chunk=64):
    """Probabilities for every epoch of a night as the live path computes them (window of current + prior)."""
    sig = night["signals"]
    out = []
    with torch.no_grad():
        for lo in range(0, len(sig), chunk):
            w = np.stack([windows(sig, t, context) for t in range(lo, min(lo + chunk, len(sig)))])
            out.append(model(torch.from_numpy(w)).numpy())
    return np.concatenate(out)


def evaluate(model, nights, context):
    y, p = [], []
    for n in nights:
        probs = stream_night(model, n, context)
        keep = n["labels"] >= 0
        y.append(n["labels"][keep])
        p.append(probs[keep].argmax(1))
    y, p = np.concatenate(y), np.concatenate(p)
    k = len(sleep_edf.CLASSES)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, p), 1)
    f1 = []  # per class; None for a class neither in the labels nor in the predictions
    for c in range(k):
        tp, fp, fn = cm[c, c], cm[:, c].sum() - cm[c, c], cm[c, :].sum() - cm[c, c]
        f1.append(float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else None)
    total = cm.sum()
    po = np.trace(cm) / total
    pe = float((cm.sum(0) * cm.sum(1)).sum()) / total ** 2
    return {"epochs": int(total), "nights": len(nights), "accuracy": float(po), "macro_f1": float(np.mean([f for f in f1 if f is not None])),
            "kappa": float((po - pe) / (1 - pe)) if pe < 1 else 0.0,
            "per_class_f1": dict(zip(sleep_edf.CLASSES, f1)), "confusion": cm.tolist(),
            "protocol": "held-out subjects (subject-wise split), every expert-scored epoch, streamed causally "
                        "(window of current + prior epochs, zeros before the night start)"}


def train(model, nights, args, rng):
    index = [(i, t) for i, n in enumerate(nights) for t in np.nonzero(n["labels"] >= 0)[0]]
    if not index:
        raise SystemExit("no expert-scored epochs to train on")
    counts = np.bincount(np.concatenate([n["labels"][n["labels"] >= 0] for n in nights]), minlength=5)
    weight = torch.tensor(np.where(counts > 0, counts.sum() / np.maximum(counts, 1) / 5, 0.0) ** 0.5,
                          dtype=torch.float32)
    loss_fn = nn.CrossEntropyLoss(weight=weight, ignore_index=-1)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = max(1, len(index) // args.batch)
    total = args.epochs * steps_per_epoch if args.max_steps is None else min(args.max_steps,
                                                                              args.epochs * steps_per_epoch)
    model.train()
    for step in range(total):
        x, y = sample_batch(nights, index, args.batch, args.context, rng)
        logits = model.logits(x)
        loss = loss_fn(logits.reshape(-1, 5), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % max(1, total // 20) == 0 or step == total - 1:
            print(f"step {step + 1}/{total} loss {loss.item():.4f}")
    model.eval()
    return total, len(index)


def export(model, args, out, card_extra):
    os.makedirs(out, exist_ok=True)
    onnx_path = os.path.join(out, args.id + ".onnx")
    dummy = torch.zeros(1, args.context, 3, sleep_edf.EPOCH_SAMPLES)
    torch.onnx.export(model, dummy, onnx_path, input_names=["signals"], output_names=["probabilities"],
                      dynamic_axes={"signals": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    with open(onnx_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    card = {
        "id": args.id, "task": "sleep-staging", "onnx": args.id + ".onnx", "sha256": sha,
        "inputs": [{"name": "signals", "shape": [-1, args.context, 3, sleep_edf.EPOCH_SAMPLES], "type": "float32"}],
        "outputs": [{"name": "probabilities", "shape": [-1, 5], "type": "float32"}],
        "input_signals": [{"label": label, "unit": "uV", "rate_hz": sleep_edf.RATE_HZ}
                          for _, label in sleep_edf.CHANNELS],
        "window_seconds": 30, "hop_seconds": 30, "feature_recipe": None,
        "output_classes": sleep_edf.CLASSES, "prior_epochs": args.context - 1,
        "causal_context": {"type": "raw-window", "epochs": args.context, "order": "oldest first, current last",
                           "missing_epoch_fill": "zeros",
                           "network": f"multi-resolution CNN (width {args.width}) + unidirectional GRU "
                                      f"(hidden {args.hidden})"},
        "trained_here": False,
        "created": datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z",
    }
    card.update(card_extra)
    with open(os.path.join(out, args.id + ".model.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    return onnx_path, card


def golden(model, nights, args, out):
    """Torch outputs of the live path on the first night: epochs streamed in order, and with one epoch unusable."""
    night = nights[0]
    n = min(len(night["labels"]), args.golden_epochs)
    bad = n // 2
    cases = []
    with torch.no_grad():
        for name, drop in (("in-order", set()), ("epoch-%d-unusable" % bad, {bad})):
            probs = []
            for t in range(n):
                if t in drop:
                    probs.append(None)
                    continue
                w = torch.from_numpy(windows(night["signals"], t, args.context, drop)[None])
                probs.append([float(v) for v in model(w)[0]])
            cases.append({"name": name, "unusable_epochs": sorted(drop), "probabilities": probs})
    g = {"model": args.id, "recording": night["files"], "epochs": n,
         "input": "epoch t of the PSG file, channels EEG Fpz-Cz, EEG Pz-Oz, EOG horizontal, EDFlib digital->uV "
                  "in float64 then float32, no wake trimming",
         "cases": cases}
    with open(os.path.join(out, args.id + ".golden.json"), "w") as f:
        json.dump(g, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="folder of Sleep-EDF *-PSG.edf + *-Hypnogram.edf files")
    ap.add_argument("--out", required=True, help="output folder for <id>.onnx + <id>.model.json")
    ap.add_argument("--epochs", type=int, default=20, help="passes over the scored training epochs")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many optimisation steps")
    ap.add_argument("--context", type=int, default=5, help="K: epochs in the window (current + K-1 prior)")
    ap.add_argument("--width", type=int, default=32, help="CNN channels of the first conv layers")
    ap.add_argument("--hidden", type=int, default=128, help="GRU hidden size")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--val-fraction", type=float, default=0.2, help="share of subjects held out for evaluation")
    ap.add_argument("--trim-wake-minutes", type=int, default=30,
                    help="keep this much wake before the first and after the last sleep epoch (0 = whole night)")
    ap.add_argument("--id", default="stager-raw-gru-v1")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--golden-epochs", type=int, default=0,
                    help="also write <id>.golden.json: torch outputs on the first N epochs of the first night")
    args = ap.parse_args(argv)
    if args.context < 1:
        ap.error("--context must be >= 1")
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)

    nights = load_folder(args.data, args.trim_wake_minutes)
    train_nights, val_nights = split_subjects(nights, args.val_fraction, args.seed)
    scale = channel_scale(train_nights)
    model = RawStager(args.context, args.width, args.hidden, scale)
    steps, scored = train(model, train_nights, args, rng)
    evaluation = evaluate(model, val_nights, args.context) if val_nights else {}
    subjects = sorted({n["subject"] for n in train_nights})
    trained_on = (f"trained by training/stager_raw/train_raw.py on {datetime.date.today()}: {len(train_nights)} "
                  f"night(s) of {len(subjects)} subject(s) from {args.data} "
                  f"({', '.join(n['code'] for n in train_nights)}), {scored} expert-scored epochs "
                  f"(S3+S4 -> N3, wake trimmed to {args.trim_wake_minutes} min around sleep), {steps} steps of "
                  f"batch {args.batch}; held out for evaluation: "
                  f"{', '.join(n['code'] for n in val_nights) or 'none (not evaluated)'}")
    limits = ("Not trained in this repository: the repository has no whole-night raw EEG; whoever runs the script "
              "on their Sleep-EDF recordings owns the result. Sleep-EDF cassette montage (Fpz-Cz, Pz-Oz, horizontal "
              "EOG at 100 Hz, uV); causal: current + %d prior epochs, missing prior epochs fed as zeros." %
              (args.context - 1))
    if steps < 1000:
        limits = f"UNTRAINED ({steps} optimisation steps): a pipeline test artefact, not a clinical model. " + limits
    extra = {"training_data": trained_on, "evaluation": evaluation, "limits": limits,
             "channel_scale_uv": [float(s) for s in scale]}
    onnx_path, card = export(model, args, args.out, extra)
    if args.golden_epochs > 0:
        raw_nights = load_folder(args.data, 0)
        golden(model, raw_nights, args, args.out)
    print(f"wrote {onnx_path} (sha256 {card['sha256']}) and {args.id}.model.json; evaluation: "
          f"{json.dumps({k: evaluation[k] for k in ('accuracy', 'macro_f1', 'kappa')}) if evaluation else 'none'}")


if __name__ == "__main__":
    main()
