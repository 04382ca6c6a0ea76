"""Train, cross-validate (leave-subjects-out) and export the needle-EMG screening model.

    /usr/bin/python3 training/emg/train.py [--data ../shared/data/emglab-n2001] [--epochs 12] [--out ROOT]

Writes models/emg-alsnet-v1.onnx + .model.json, training/emg/report.json + report.md,
training/emg/final_predictions.json and the Java golden/parity fixtures in inference/src/test/resources/emg/.
"""
import argparse
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alsnet  # noqa: E402
import metrics  # noqa: E402
import n2001  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MODEL_ID = "emg-alsnet-v2"
OUT = REPO
# Leave-subjects-out folds: every fold holds out whole subjects (one ALS, one myopathy, one or two controls).
FOLDS = [["A01", "M02", "C01", "C06"], ["A03", "M03", "C02", "C07"], ["A04", "M04", "C03"],
         ["A05", "M05", "C04"], ["A06", "M07", "C05"]]
PARITY_SUBJECTS = ["A01", "A04", "C01", "C05", "M02", "M05"]   # first recording of each -> parity fixture
GOLDEN = [("A03", 3), ("M07", 0), ("C02", 10)]                  # (subject, window) of its first recording


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def windows_of(samples, window=alsnet.WINDOW_RAW):
    n = len(samples) // window
    return samples[: n * window].reshape(n, window)


def prepare(records, window=alsnet.WINDOW_RAW):
    """Per record: the whole record decimated (training crops) and its evaluation windows decimated window by
    window with the in-graph front end (bit-for-bit what the ONNX graph computes on a raw window)."""
    front = alsnet.FrontEnd()
    full, evalw = [], []
    with torch.no_grad():
        for r in records:
            full.append(front(torch.from_numpy(r.samples).unsqueeze(0))[0, 0].numpy())
            evalw.append(front(torch.from_numpy(windows_of(r.samples, window)))[:, 0].numpy())
    return full, evalw


def train(full, labels, subjects, idx, seed, epochs, crops=1536, batch=32, arch=None,
          window=alsnet.WINDOW_DECIMATED):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    body = alsnet.Body(**(arch or {}))
    opt = torch.optim.Adam(body.parameters(), lr=1e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=epochs * (crops // batch))
    # balanced sampling: class uniformly, then subject uniformly within the class, then a recording, then a crop
    by_class = {}
    for i in idx:
        by_class.setdefault(labels[i], {}).setdefault(subjects[i], []).append(i)
    classes = sorted(by_class)
    T = window
    for ep in range(epochs):
        body.train()
        total = 0.0
        for _ in range(crops // batch):
            xs, ys = [], []
            for _ in range(batch):
                c = classes[rng.integers(len(classes))]
                subs = sorted(by_class[c])
                recs = by_class[c][subs[rng.integers(len(subs))]]
                i = recs[rng.integers(len(recs))]
                off = rng.integers(len(full[i]) - T + 1)
                x = full[i][off:off + T] * (rng.uniform(0.8, 1.25) * (1 if rng.random() < 0.5 else -1))
                xs.append(x); ys.append(c)
            x = alsnet.normalise(torch.from_numpy(np.stack(xs).astype(np.float32)).unsqueeze(1))
            loss = F.cross_entropy(body(x), torch.tensor(ys))
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            total += loss.item()
        log(f"  epoch {ep + 1}/{epochs} loss {total / (crops // batch):.4f}")
    body.eval()
    return body


def train_ensemble(full, labels, subjects, idx, seed, members, epochs, crops, arch, window=alsnet.WINDOW_DECIMATED):
    """`members` bodies trained alike from seeds seed, seed + 1000, ...; their mean probability is the output."""
    return [train(full, labels, subjects, idx, seed + 1000 * m, epochs, crops, arch=arch, window=window)
            for m in range(members)]


def predict(bodies, evalw_list):
    ensemble = alsnet.Ensemble(bodies).eval()
    out = []
    with torch.no_grad():
        for w in evalw_list:
            out.append(ensemble(alsnet.normalise(torch.from_numpy(w).unsqueeze(1))).numpy())
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data", "emglab-n2001"))
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--channels", default="16,32,32,32", help="filters of the dilated conv layers")
    ap.add_argument("--dilations", default="1,2,4,8", help="dilation of each conv layer")
    ap.add_argument("--pool", default="maxavg", choices=["max", "maxavg"], help="global pooling over time")
    ap.add_argument("--stats", type=int, default=1, help="1: add the four fixed window statistics to the head")
    ap.add_argument("--coarse", type=int, default=0, help="dilated conv layers after a stride-4 max pooling")
    ap.add_argument("--members", type=int, default=2, help="models per ensemble (seeds), averaged in the graph")
    ap.add_argument("--out", default=REPO, help="root that receives models/, training/emg/ and the Java fixtures")
    ap.add_argument("--crops", type=int, default=1024, help="training crops per epoch")
    ap.add_argument("--cv-only", action="store_true", help="cross-validate and print the figures; export nothing")
    ap.add_argument("--window", type=int, default=alsnet.WINDOW_RAW,
                    help="window in raw samples (a multiple of 6; other than the default only with --cv-only)")
    args = ap.parse_args()
    global OUT
    if args.window % alsnet.DECIMATION or (args.window != alsnet.WINDOW_RAW and not args.cv_only):
        ap.error("--window must be a multiple of 6, and differ from the shipped window only with --cv-only")
    window_decimated = args.window // alsnet.DECIMATION
    arch = {"channels": [int(x) for x in args.channels.split(",")],
            "dilations": [int(x) for x in args.dilations.split(",")],
            "pool": args.pool, "stats": bool(args.stats), "coarse": args.coarse}
    OUT = args.out
    for d in ("models", os.path.join("training", "emg")):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    records = n2001.read_directory(args.data)
    labels = [n2001.CLASSES.index(r.label) for r in records]
    subjects = [r.subject for r in records]
    assert sorted(s for f in FOLDS for s in f) == sorted(set(subjects)), "folds must cover every subject once"
    full, evalw = prepare(records, args.window)
    log(f"{len(records)} records, {sum(len(w) for w in evalw)} windows, prepared in {time.time() - t0:.0f} s")

    oof = [None] * len(records)
    fold_reports = []
    for k, held in enumerate(FOLDS):
        test = [i for i, s in enumerate(subjects) if s in held]
        tr = [i for i, s in enumerate(subjects) if s not in held]
        log(f"fold {k}: test subjects {held} ({len(test)} recordings)")
        bodies = train_ensemble(full, labels, subjects, tr, args.seed + k, args.members, args.epochs, args.crops, arch,
                                window_decimated)
        preds = predict(bodies, [evalw[i] for i in test])
        for i, p in zip(test, preds):
            oof[i] = p
        fr = metrics.evaluate(preds, [labels[i] for i in test])
        fold_reports.append({"fold": k, "test_subjects": held, **fr})
        log(f"fold {k}: rec acc A/N {fr['recording_accuracy_als_vs_normal']:.3f} "
            f"win acc {fr['window_accuracy_als_vs_normal']:.3f} macroF1 {fr['macro_f1_3class']:.3f}")
    cv = metrics.evaluate(oof, labels)
    per_subject = {}
    for i, s in enumerate(subjects):
        per_subject.setdefault(s, []).append(oof[i].mean(axis=0))
    subject_rows = {s: {"label": n2001.CLASSES[labels[subjects.index(s)]], "recordings": len(v),
                        "mean_probabilities": [round(float(x), 4) for x in np.mean(v, axis=0)],
                        "recordings_correct": int(sum(
                            int(np.argmax(oof[i].mean(axis=0))) == labels[i] for i in range(len(records))
                            if subjects[i] == s))}
                    for s, v in sorted(per_subject.items())}
    log(f"CV: {json.dumps({k: v for k, v in cv.items() if not isinstance(v, dict)})}")
    log("CV per subject (recordings right, 3-class): "
        + " ".join(f"{s}:{v['recordings_correct']}/{v['recordings']}" for s, v in subject_rows.items()))
    if args.cv_only:
        return

    log("final model on all subjects")
    final = train_ensemble(full, labels, subjects, list(range(len(records))), args.seed + 100, args.members,
                           args.epochs, args.crops, arch)
    final_preds = predict(final, evalw)
    resub = metrics.evaluate(final_preds, labels)

    # ONNX export: raw µV windows in, probabilities out
    exported = alsnet.Exported(final).eval()
    onnx_path = os.path.join(OUT, "models", MODEL_ID + ".onnx")
    dummy = torch.zeros(2, alsnet.WINDOW_RAW)
    torch.onnx.export(exported, dummy, onnx_path, input_names=["emg"], output_names=["probabilities"],
                      dynamic_axes={"emg": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))

    # Java fixtures: golden raw windows (float32 LE) + expected outputs of the exported module; parity records
    res = os.path.join(OUT, "inference", "src", "test", "resources", "emg")
    os.makedirs(res, exist_ok=True)
    name_to_i = {r.name: i for i, r in enumerate(records)}
    golden = []
    first_of = {}
    for r in records:
        first_of.setdefault(r.subject, r.name)
    for g, (subject, w) in enumerate(GOLDEN):
        name = first_of[subject]
        raw = windows_of(records[name_to_i[name]].samples)[w]
        fname = f"golden-{g}.f32"
        with open(os.path.join(res, fname), "wb") as f:
            f.write(struct.pack("<%df" % len(raw), *raw))
        with torch.no_grad():
            p = exported(torch.from_numpy(raw.copy()).unsqueeze(0))[0].numpy()
        golden.append({"file": fname, "record": name, "window": w, "probabilities": [float(x) for x in p]})
    parity_idx = [name_to_i[first_of[s]] for s in PARITY_SUBJECTS]
    parity = {"model": MODEL_ID, "records": [
        {"name": records[i].name, "label": n2001.CLASSES[labels[i]],
         "window_probabilities": [[float(x) for x in row] for row in final_preds[i]]} for i in parity_idx],
        "metrics": metrics.evaluate([final_preds[i] for i in parity_idx], [labels[i] for i in parity_idx])}
    with open(os.path.join(res, "golden.json"), "w") as f:
        json.dump({"model": MODEL_ID, "window_samples": alsnet.WINDOW_RAW, "windows": golden}, f, indent=1)
    with open(os.path.join(res, "parity.json"), "w") as f:
        json.dump(parity, f, indent=1)
    with open(os.path.join(OUT, "training", "emg", "final_predictions.json"), "w") as f:
        json.dump({"model": MODEL_ID, "note": "final model (trained on all 374 recordings) on the same recordings: "
                   "NOT a subject-wise figure; for Java parity only",
                   "metrics": resub,
                   "records": [{"name": r.name, "label": r.label,
                                "window_probabilities": [[round(float(x), 7) for x in row] for row in p]}
                               for r, p in zip(records, final_preds)]}, f)

    protocol = ("5-fold leave-subjects-out cross-validation on 17 subjects (5 ALS, 7 control, 5 myopathy; "
                "374 recordings); each fold holds out 1 ALS, 1 myopathy and 1-2 control subjects; no subject is in "
                "both training and test; fixed number of epochs, no early stopping. Figures pool the "
                "out-of-fold predictions of all folds.")
    report = {"model": MODEL_ID, "protocol": protocol, "cross_validation": cv, "folds": fold_reports,
              "per_subject": subject_rows, "final_model_on_training_records": resub,
              "epochs": args.epochs, "crops_per_epoch": args.crops, "architecture": arch, "members": args.members, "seed": args.seed, "seconds": round(time.time() - t0)}
    with open(os.path.join(OUT, "training", "emg", "report.json"), "w") as f:
        json.dump(report, f, indent=1)

    card = {
        "id": MODEL_ID, "task": "neuromuscular-screening", "onnx": MODEL_ID + ".onnx", "sha256": sha256(onnx_path),
        "inputs": [{"name": "emg", "shape": [-1, alsnet.WINDOW_RAW], "type": "float32"}],
        "outputs": [{"name": "probabilities", "shape": [-1, 3], "type": "float32"}],
        "input_signals": [{"label": "needle EMG", "unit": "uV", "rate_hz": alsnet.RATE_HZ}],
        "window_seconds": alsnet.WINDOW_RAW / alsnet.RATE_HZ, "hop_seconds": alsnet.WINDOW_RAW / alsnet.RATE_HZ,
        "feature_recipe": "none: raw uV; in-graph 97-tap FIR decimation x6 to 3906.25 Hz, window mean removed, /100 uV",
        "output_classes": list(n2001.CLASSES), "prior_epochs": 0,
        "causal_context": {"type": "recording-mean",
                           "aggregation": "recording probabilities = mean of its window probabilities",
                           "als_vs_normal": "ALS iff P(ALS) >= P(normal)", "three_class": "argmax"},
        "training_data": "EMGLAB N2001 biceps brachii, 17 subjects / 374 recordings (../shared/data/emglab-n2001)",
        "evaluation": {"protocol": protocol,
                       "per_window": {k: cv[k] for k in ("window_accuracy_als_vs_normal", "window_sensitivity",
                                                         "window_specificity", "window_balanced_accuracy",
                                                         "window_macro_f1_3class")},
                       "per_recording": {k: cv[k] for k in ("recording_accuracy_als_vs_normal", "sensitivity",
                                                            "specificity", "balanced_accuracy", "macro_f1_3class")},
                       "recordings": cv["recordings"], "windows": cv["windows"]},
        "limits": "17 subjects only (5 ALS); biceps brachii, concentric needle, low steady contraction; "
                  "expects 23437.5 Hz input; research screening aid, not a diagnosis.",
        "trained_here": True}
    with open(os.path.join(OUT, "models", MODEL_ID + ".model.json"), "w") as f:
        json.dump(card, f, indent=1)
    write_markdown(report, card)
    log(f"done in {time.time() - t0:.0f} s")


def write_markdown(report, card):
    cv, rs = report["cross_validation"], report["final_model_on_training_records"]
    pct = lambda v: f"{100 * v:.2f} %"  # noqa: E731
    lines = [f"# {report['model']}: needle-EMG screening report", "", "Protocol: " + report["protocol"], "",
             "| figure (subject-wise CV, ALS vs normal) | per window | per recording | target |", "|---|---|---|---|",
             f"| accuracy | {pct(cv['window_accuracy_als_vs_normal'])} | {pct(cv['recording_accuracy_als_vs_normal'])} | >= 90 % / >= 95 % |",
             f"| sensitivity | {pct(cv['window_sensitivity'])} | {pct(cv['sensitivity'])} | |",
             f"| specificity | {pct(cv['window_specificity'])} | {pct(cv['specificity'])} | |",
             f"| balanced accuracy | {pct(cv['window_balanced_accuracy'])} | {pct(cv['balanced_accuracy'])} | |",
             f"| 3-class macro-F1 | {cv['window_macro_f1_3class']:.3f} | {cv['macro_f1_3class']:.3f} | >= 0.85 |", "",
             f"{cv['recordings']} recordings, {cv['windows']} windows. Per-class F1 (recordings): {cv['f1_per_class']}.", "",
             "## Per fold", "", "| fold | held-out subjects | rec acc A/N | win acc A/N | macro-F1 (rec) |", "|---|---|---|---|---|"]
    for f in report["folds"]:
        lines.append(f"| {f['fold']} | {' '.join(f['test_subjects'])} | {pct(f['recording_accuracy_als_vs_normal'])} | "
                     f"{pct(f['window_accuracy_als_vs_normal'])} | {f['macro_f1_3class']:.3f} |")
    lines += ["", "## Per subject (out-of-fold)", "", "| subject | class | recordings | correct (3-class) | mean P(ALS, myopathy, normal) |",
              "|---|---|---|---|---|"]
    for s, v in report["per_subject"].items():
        lines.append(f"| {s} | {v['label']} | {v['recordings']} | {v['recordings_correct']} | {v['mean_probabilities']} |")
    lines += ["", "## Final model on its own training records (NOT a validation figure; Java parity reference)", "",
              f"recording acc A/N {pct(rs['recording_accuracy_als_vs_normal'])}, window acc A/N "
              f"{pct(rs['window_accuracy_als_vs_normal'])}, sensitivity {pct(rs['sensitivity'])}, specificity "
              f"{pct(rs['specificity'])}, macro-F1 {rs['macro_f1_3class']:.4f}, window macro-F1 {rs['window_macro_f1_3class']:.4f}.",
              "", f"ONNX sha256 {card['sha256']}; {report.get('members', 1)} models x {report['epochs']} epochs x "
              f"{report['crops_per_epoch']} crops, seed {report['seed']}, {report['seconds']} s on CPU.",
              "", "Variants tried and why this one: training/emg/README.md."]
    with open(os.path.join(OUT, "training", "emg", "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
