"""Final fit, ONNX export, model card, Java golden vectors and report of stager v3 (called by train_seq.py)."""
import collections
import datetime
import hashlib
import json
import os

import numpy as np
import torch
from torch import nn

import data as D
import model as MD
import sequence as S
import train as V2
import train_seq as T
import report_seq as R


class LiveGraph(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, features, welch, past):
        return self.m(features, welch, past)


class RevisedGraph(nn.Module):
    """window (b, 2K-1, W): the standardised rows of the epoch's K-1 previous present epochs, its own, and its K-1 next
    ones, in time order (zero rows beyond the stretch) -> probabilities at the centre (b, 5)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, window):
        if hasattr(self.m, "revised"):  # an ensemble: the members' re-score outputs averaged (ensemble.py)
            return self.m.revised(window)
        out, _ = self.m.bigru(window)
        return torch.softmax(self.m.head_bi(out[:, self.m.window - 1]) * self.m.inv_temperature_bi, dim=1)


def outputs(model, features, present):
    """S.night_outputs for a single model, the ensemble's own for an ensemble (ensemble.py)."""
    if hasattr(model, "night_outputs"):
        return model.night_outputs(features, present)
    return S.night_outputs(model, features, present)


def back(model, features, present):
    if hasattr(model, "night_back"):
        return model.night_back(features, present)
    return S.night_back(model, features, present)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def export_onnx(model, models_dir):
    k = model.window
    live = os.path.join(models_dir, T.MODEL_ID + ".onnx")
    dummy = (torch.zeros(2, MD.FEATURES), torch.full((2, MD.WELCH), 0.2), torch.zeros(2, k - 1, MD.WIDTH))
    torch.onnx.export(LiveGraph(model), dummy, live, input_names=["features", "welch", "past"],
                      output_names=["probabilities", "standardised", "welch_probabilities"],
                      dynamic_axes={n: {0: "batch"} for n in ["features", "welch", "past", "probabilities",
                                                                "standardised", "welch_probabilities"]},
                      opset_version=13)
    revised = os.path.join(models_dir, T.MODEL_ID + ".revised.onnx")
    torch.onnx.export(RevisedGraph(model), (torch.zeros(2, 2 * k - 1, MD.WIDTH),), revised, input_names=["window"],
                      output_names=["probabilities"],
                      dynamic_axes={"window": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13)
    return live, revised


def golden(model, chain, nights, repo):
    """60 real epochs of SC4001 with absent ones, scored as one session: inputs, graph outputs, live and revised."""
    night = next(n for n in nights if n.name == "SC4001")
    stg = night.stage
    start = next(s for s in range(0, len(night) - 60)
                 if (~night.present[s:s + 60]).sum() >= 4 and len(set(stg[s:s + 60].tolist())) >= 3)
    idx = np.arange(start, start + 60)
    feats = night.features[idx]
    present = night.present[idx]
    p, pw = outputs(model, feats, present)
    pb = back(model, feats, present)
    post, pred = chain.live(p, pw, present)
    rpost, rpred = chain.revised(p, pb, pw, present)
    rows = []
    for i in range(60):
        rows.append({"epoch": int(idx[i]), "stage": int(stg[idx[i]]),
                     "features": [float(v) for v in feats[i, :MD.FEATURES]] if present[i] else None,
                     "welch": [float(v) for v in feats[i, MD.FEATURES:]],
                     "probabilities": [float(v) for v in p[i]] if present[i] else None,
                     "welch_probabilities": [float(v) for v in pw[i]],
                     "back_probabilities": [float(v) for v in pb[i]] if present[i] else None,
                     "posterior": [float(v) for v in post[i]], "predicted": int(pred[i]),
                     "revised": [float(v) for v in rpost[i]], "revised_predicted": int(rpred[i])})
    out = os.path.join(repo, "inference", "src", "test", "resources", "stager")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "golden-v3.json"), "w") as f:
        json.dump({"model": T.MODEL_ID, "night": night.name, "rows": rows}, f)


def card(model, chain, info, live_sha, revised_sha, rep, n_nights, n_subjects):
    k = model.window
    v2card = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models",
                                         V2.MODEL_ID + ".model.json")))
    welch = dict(v2card["causal_context"]["welch"])
    welch["description"] = ("relative Welch band powers, row = Fpz-Cz, Pz-Oz, EOG x (delta 0.5-4, theta 4-8, alpha "
                            "8-12, sigma 12-16, beta 16-30 Hz), each signal's five summing to 1. The graph takes all "
                            "15 and uses only signals_used (log(p + 1e-4), standardised). An epoch without usable "
                            "features is left out of the GRU's sequence; its own Welch powers (when finite) give its "
                            "Welch-only emission (welch_probabilities), which no later epoch reads.")
    c, r = rep["live"]["all"], rep["revised"]["all"]
    fig = lambda f: {"accuracy": f["accuracy"], "macro_f1": f["macro_f1"], "kappa": f["kappa"], "ece": f["ece"],  # noqa
                     "per_class_f1": dict(zip(D.CLASSES, f["per_class_f1"]))}
    return {
        "id": T.MODEL_ID, "task": "sleep-staging", "onnx": T.MODEL_ID + ".onnx", "sha256": live_sha,
        "inputs": [{"name": "features", "shape": [-1, 105], "type": "float32"},
                   {"name": "welch", "shape": [-1, MD.WELCH], "type": "float32"},
                   {"name": "past", "shape": [-1, k - 1, MD.WIDTH], "type": "float32"}],
        "outputs": [{"name": "probabilities", "shape": [-1, 5], "type": "float32"},
                    {"name": "standardised", "shape": [-1, MD.WIDTH], "type": "float32"},
                    {"name": "welch_probabilities", "shape": [-1, 5], "type": "float32"}],
        "input_signals": v2card["input_signals"],
        "window_seconds": 30, "hop_seconds": 30, "feature_recipe": "sleep-edf-sc-35x3",
        "output_classes": D.CLASSES, "prior_epochs": k - 1,
        "causal_context": {
            "type": "gru-window", "window": k, "width": MD.WIDTH,
            "hidden": getattr(model, "hidden", None) or model.gru.hidden_size,
            "members": len(getattr(model, "members", [model])),
            "description": "GRU (from a zero state) over the standardised rows of the bed's K-1 previous PRESENT "
                           "epochs (graph input 'past', oldest first, zero rows before the night's first present "
                           "epoch) and the current one; 'standardised' is the current row, appended to the bed's "
                           "window after a present epoch. An epoch without usable features is left out of the "
                           "window (no mask, gap length or running statistic sees it). Chain: present epoch "
                           "alpha = normalise(max(p, prob_floor)) when hmm_exponent = 0, else normalise(predict(alpha) "
                           "* (max(p, prob_floor) / class_prior)^hmm_exponent); absent epoch (not folded into alpha): "
                           "normalise(normalise(predict(alpha) * (max(pw, prob_floor) / welch_prior)^welch_exponent)"
                           "^(1/absent_temperature)), pw = its "
                           "Welch-only probabilities when its Welch powers are usable, else the prediction alone; "
                           "UNSCORED when no present epoch came before. predict(a) = normalise(a @ transition).",
            "transition": chain.t.tolist(), "initial": chain.init.tolist(), "class_prior": chain.prior.tolist(),
            "welch_prior": chain.wprior.tolist(), "hmm_exponent": float(chain.w or 0.0),
            "welch_exponent": chain.v, "absent_temperature": getattr(chain, "absent_temperature", 1.0),
            "revised_exponent": chain.wr, "revised_mix": chain.mix,
            "prob_floor": S.PROB_FLOOR,
            "temperature": info["temperature"], "welch_temperature": info["welch_temperature"],
            "welch": welch,
            "revised": {"onnx": T.MODEL_ID + ".revised.onnx", "sha256": revised_sha, "input": "window",
                        "output": "probabilities", "temperature": info["back_temperature"],
                        "rule": "morning re-score (NON-causal, never live): a bidirectional GRU over the standardised "
                                "rows of the epoch's K-1 previous, own and K-1 next PRESENT epochs (time order, zero "
                                "rows beyond the stretch; output at the centre) gives pb; r = normalise(max(pb,f) "
                                "(max(p,f) / class_prior)^revised_mix); with "
                                "revised_exponent > 0 forward-backward over the present epochs with emissions "
                                "(max(r,f)/class_prior)^revised_exponent, else r; an absent epoch = predict(left) * "
                                "its Welch emission * normalise(transition @ (e_next * backward_next)), a side "
                                "branch never folded into present epochs (MorningRescore.java)"}},
        "training_data": V2.training_data_text(n_nights, n_subjects).replace(
            "plus causal running means of the night's prior standardised inputs (causal_context.night_context)",
            "then a GRU over the past window of present epochs"),
        "evaluation": {
            "protocol": f"{rep['folds']}-fold cross-validation grouped by subject (train.py's folds); every "
                        "expert-labelled epoch of every night scored, absent-feature epochs from the last present "
                        "epoch and their own Welch powers; temperatures and chain exponents chosen on held-out "
                        "subjects inside each training fold (window K = 20 and GRU width 64 fixed, not swept)",
            **fig(c), "epochs": c["epochs"], "nights": rep["live"]["nights"],
            "near_transition": fig(rep["live"]["near_transition"]),
            "absent_feature_epochs_accuracy": rep["live"]["absent_epochs"]["accuracy"],
            "after_absent_accuracy": rep["live"]["after_absent"]["accuracy"],
            "per_night_kappa_median": rep["live"]["per_night_kappa"]["median"],
            "revised": fig(r),
            "v2_same_folds": fig(rep["v2"]["all"]) if "v2" in rep else None},
        "limits": V2.card_limits_text().replace("causal (current + prior epochs), 30 s latency",
                                                f"causal (current + {k - 1} prior present epochs), 30 s latency; the "
                                                "revised hypnogram is non-causal and for the morning review only"),
        "trained_here": True,
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def export_from(model, chain, info, nights, subjects, rep, repo, report_dir):
    """ONNX graphs + card + golden vectors + the final model's in-sample figures + report-v3.json/md."""
    models_dir = os.path.join(repo, "models")
    live, revised = export_onnx(model, models_dir)
    c = card(model, chain, info, sha(live), sha(revised), rep, len(nights), len(subjects))
    with open(os.path.join(models_dir, T.MODEL_ID + ".model.json"), "w") as f:
        json.dump(c, f, indent=2)
    golden(model, chain, nights, repo)
    live_res, rev_res = [], []
    for n in nights:
        p, pw = outputs(model, n.features, n.present)
        pb = back(model, n.features, n.present)
        live_res.append((n, *chain.live(p, pw, n.present)))
        rev_res.append((n, *chain.revised(p, pb, pw, n.present)))
    # the Java parity reference: the final model's in-sample per-night confusions (evaluate stager [--revised])
    rep["final_in_sample"] = {"live": T.evaluate(live_res), "revised": T.evaluate(rev_res)}
    rep["final_fit"] = {k: v for k, v in info.items() if k != "_val_outputs"}
    rep["sha256"] = c["sha256"]
    with open(os.path.join(report_dir, "report-v3.json"), "w") as f:
        json.dump(rep, f, indent=1)
    with open(os.path.join(report_dir, "report-v3.md"), "w") as f:
        f.write(R.markdown(rep))
