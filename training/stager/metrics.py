"""Metrics shared by the CV report and the Java parity check (same definitions as StagerEvaluation.java)."""
import numpy as np

K = 5


def confusion(truth, pred):
    """5x5 confusion (rows = expert, cols = predicted) over epochs with truth >= 0 and pred >= 0, plus count of
    expert-labelled epochs that were UNSCORED (pred == -1) per expert class."""
    cm = np.zeros((K, K), dtype=np.int64)
    unscored = np.zeros(K, dtype=np.int64)
    for t, p in zip(truth, pred):
        if t < 0:
            continue
        if p < 0:
            unscored[t] += 1
        else:
            cm[t, p] += 1
    return cm, unscored


def figures(cm, unscored):
    """accuracy, macro-F1, kappa, per-class F1; UNSCORED epochs count as errors (they are in the denominator)."""
    n = int(cm.sum() + unscored.sum())
    if n == 0:
        return {"epochs": 0, "accuracy": float("nan"), "macro_f1": float("nan"), "kappa": float("nan"),
                "per_class_f1": [float("nan")] * K}
    correct = int(np.trace(cm))
    acc = correct / n
    rows = cm.sum(axis=1) + unscored  # expert totals
    cols = cm.sum(axis=0)  # predicted totals (unscored predicted as no class)
    f1 = []
    for k in range(K):
        tp = cm[k, k]
        denom = rows[k] + cols[k]
        f1.append(float(2.0 * tp / denom) if denom > 0 else 0.0)
    pe = float(np.sum(rows.astype(np.float64) * cols.astype(np.float64))) / (n * n)
    kappa = (acc - pe) / (1.0 - pe) if pe < 1.0 else float("nan")
    return {"epochs": n, "correct": correct, "accuracy": acc, "macro_f1": float(np.mean(f1)), "kappa": kappa,
            "per_class_f1": f1}


def ece(conf, correct, bins=15):
    conf = np.asarray(conf, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    if len(conf) == 0:
        return float("nan")
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() * abs(conf[m].mean() - correct[m].mean())
    return total / len(conf)


def near_transition(stage, radius=3):
    """Epochs within 1.5 min of a stage transition: a boundary b lies between epochs b-1 and b (both labelled, different
    stages); epoch i is near it iff b-radius <= i <= b+radius-1 (its 30 s overlap [boundary-90 s, boundary+90 s])."""
    n = len(stage)
    near = np.zeros(n, dtype=bool)
    for b in range(1, n):
        if stage[b] >= 0 and stage[b - 1] >= 0 and stage[b] != stage[b - 1]:
            near[max(0, b - radius):min(n, b + radius)] = True
    return near
