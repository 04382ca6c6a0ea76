"""Screening metrics, defined exactly as org.hypnostream.inference.emg.EmgEvaluation defines them.

Window verdict (ALS vs normal): ALS iff P(ALS) >= P(normal). Recording probabilities: the mean of its window
probabilities; recording verdict ALS iff mean P(ALS) >= mean P(normal). 3-class verdict: argmax (first on ties).
ALS-vs-normal figures use ALS and normal recordings only (myopathy excluded); ALS is the positive class.
Macro-F1 = mean over the 3 classes of 2TP / (2TP + FP + FN) (0 for a class with no true and no predicted cases).
"""
import numpy as np

ALS, MYO, NORMAL = 0, 1, 2


def _binary(probs, labels):
    keep = labels != MYO
    p, y = probs[keep], labels[keep]
    pred_als = p[:, ALS] >= p[:, NORMAL]
    true_als = y == ALS
    tp = int(np.sum(pred_als & true_als)); tn = int(np.sum(~pred_als & ~true_als))
    fp = int(np.sum(pred_als & ~true_als)); fn = int(np.sum(~pred_als & true_als))
    n = tp + tn + fp + fn
    acc = (tp + tn) / n if n else float("nan")
    sens = tp / (tp + fn) if tp + fn else float("nan")
    spec = tn / (tn + fp) if tn + fp else float("nan")
    return {"accuracy": acc, "sensitivity": sens, "specificity": spec, "balanced_accuracy": (sens + spec) / 2,
            "tp": tp, "tn": tn, "fp": fp, "fn": fn}


def _macro_f1(probs, labels):
    pred = np.argmax(probs, axis=1)
    f1 = []
    for c in range(3):
        tp = np.sum((pred == c) & (labels == c)); fp = np.sum((pred == c) & (labels != c))
        fn = np.sum((pred != c) & (labels == c))
        f1.append(0.0 if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1)), [float(x) for x in f1]


def evaluate(window_probs, labels):
    """window_probs: list (one per recording) of [windows, 3] float arrays; labels: list of class indices."""
    w_p = np.concatenate(window_probs).astype(np.float64)
    w_y = np.concatenate([[y] * len(p) for p, y in zip(window_probs, labels)]).astype(int)
    r_p = np.stack([np.asarray(p, dtype=np.float64).mean(axis=0) for p in window_probs])
    r_y = np.asarray(labels, dtype=int)
    wb, rb = _binary(w_p, w_y), _binary(r_p, r_y)
    wf, wf_cls = _macro_f1(w_p, w_y)
    rf, rf_cls = _macro_f1(r_p, r_y)
    return {
        "recording_accuracy_als_vs_normal": rb["accuracy"],
        "window_accuracy_als_vs_normal": wb["accuracy"],
        "sensitivity": rb["sensitivity"], "specificity": rb["specificity"],
        "balanced_accuracy": rb["balanced_accuracy"],
        "window_sensitivity": wb["sensitivity"], "window_specificity": wb["specificity"],
        "window_balanced_accuracy": wb["balanced_accuracy"],
        "macro_f1_3class": rf, "window_macro_f1_3class": wf,
        "f1_per_class": dict(zip(["ALS", "myopathy", "normal"], rf_cls)),
        "window_f1_per_class": dict(zip(["ALS", "myopathy", "normal"], wf_cls)),
        "recording_confusion_als_vs_normal": {k: rb[k] for k in ("tp", "tn", "fp", "fn")},
        "window_confusion_als_vs_normal": {k: wb[k] for k in ("tp", "tn", "fp", "fn")},
        "recordings": int(len(r_y)), "windows": int(len(w_y)),
    }
