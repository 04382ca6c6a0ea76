"""Train, cross-validate (grouped by subject), calibrate and export the causal feature stager.

/usr/bin/python3 training/stager/train.py [--data DIR] [--folds 5] [--out REPO_ROOT]
Writes training/stager/report.json + report.md, models/stager-features-hmm-v1.onnx + .model.json and the Java golden
vectors inference/src/test/resources/stager/golden.json.
"""
import argparse
import datetime
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import metrics as M  # noqa: E402
import model as MD  # noqa: E402

MODEL_ID = "stager-features-welch-hmm-v2"
WELCH_CHOICES = {"all": [0, 1, 2], "no-fpz": [1, 2], "none": []}
SEED = 20261121
LIMITS = """## What limits it

- Only 89 % of epochs have features, and the absent ones are systematically the last epoch of a stage run (just
  before a transition) or 1-epoch runs: they must be predicted from prior epochs only (their own welch_rel is not
  used either) and are right about half the time (see "Absent-feature epochs"); that alone costs several points of
  accuracy and most of the N1 errors near transitions.
- The relative Welch powers of Pz-Oz and EOG add real spectral information (alpha, sigma, delta shares) and raise
  every figure, but only relative powers exist (no absolute band power, no spindle/K-complex or slow-wave events),
  and the Fpz-Cz block, the most informative EEG derivation for N3 and N1, is left out because its training values
  were ICA-cleaned over the whole night, which cannot be reproduced live (with it: about +0.004 kappa in CV).
- N1 stays the weakest class (F1 about 0.4): it is rare, short and mostly adjacent to transitions, exactly where
  features are missing; human scorers also agree least on N1.
- Amplitude features are raw µV: subject/electrode differences dominate (compare the final model's in-sample kappa
  below with the CV kappa across subjects); a bigger MLP overfits the 55 training subjects of a fold (see the
  variants table).
- The CV figures are measured on the third-party welch_rel values; live values are computed causally by
  Hypnostream (no ICA, causal filter), and their agreement with welch_rel on real nights could not be measured here.
- Targets (accuracy 82 %, macro-F1 75 %, kappa 0.76) are NOT reached under the honest causal, subject-wise
  protocol; the published reference models (AttnSleep, TinySleepNet) learn from the raw waveform.
"""
EXPONENTS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1.0]


def stack(nights, mean, std):
    """Training rows (present, labelled): raw features, running night context, stage."""
    xs, cs, ys = [], [], []
    for n in nights:
        z = np.zeros((len(n), MD.WIDTH))
        z[n.present] = MD.standardise_np(n.features[n.present], mean, std)
        ctx = MD.contexts(z, n.present)
        m = n.present & (n.stage >= 0)
        xs.append(n.features[m])
        cs.append(ctx[m])
        ys.append(n.stage[m])
    return np.concatenate(xs), np.concatenate(cs), np.concatenate(ys)


def split_subjects(subjects, parts, seed):
    rng = np.random.RandomState(seed)
    s = np.array(sorted(subjects))
    rng.shuffle(s)
    return [set(s[i::parts].tolist()) for i in range(parts)]


def fit(train_nights, seed):
    """MLP on inner-train subjects; temperature + HMM emission exponent chosen on inner-validation subjects."""
    subjects = {n.subject for n in train_nights}
    val_subj = split_subjects(subjects, 7, seed)[0]
    inner = [n for n in train_nights if n.subject not in val_subj]
    val = [n for n in train_nights if n.subject in val_subj]
    mean, std = MD.fit_stats(np.concatenate([n.features[n.present] for n in inner]))
    x, c, y = stack(inner, mean, std)
    mlp = MD.train_mlp(x, c, y, mean, std, seed)
    xv, cv, yv = stack(val, mean, std)
    temp = MD.fit_temperature(mlp, xv, cv, yv)
    trans, init = MD.learn_hmm(train_nights)
    prior = np.bincount(y, minlength=5) / len(y)
    best = None
    for w in EXPONENTS:
        hmm = MD.Hmm(trans, init, prior, w)
        cm_all = np.zeros((5, 5), dtype=np.int64)
        un_all = np.zeros(5, dtype=np.int64)
        for n in val:
            _, pred = run_night(mlp, hmm, n)
            cm, un = M.confusion(n.stage, pred)
            cm_all += cm
            un_all += un
        k = M.figures(cm_all, un_all)["kappa"]
        if best is None or k > best[0]:
            best = (k, w)
    hmm = MD.Hmm(trans, init, prior, best[1])
    return mlp, hmm, {"temperature": temp, "emission_exponent": best[1], "val_kappa": best[0],
                      "inner_train_subjects": len(subjects) - len(val_subj), "val_subjects": len(val_subj)}


def run_night(mlp, hmm, night):
    probs, _ = MD.predict_night(mlp, night.features, night.present)
    post, pred = hmm.run(probs, night.present)
    return post, pred


def evaluate(results):
    """results: list of (night, post, pred). Overall + transition-subset figures, per-night rows, ECE."""
    out = {}
    for subset in ("all", "near_transition"):
        cm_all = np.zeros((5, 5), dtype=np.int64)
        un_all = np.zeros(5, dtype=np.int64)
        conf, corr = [], []
        absent_cm = np.zeros((5, 5), dtype=np.int64)
        absent_un = np.zeros(5, dtype=np.int64)
        for night, post, pred in results:
            mask = night.stage >= 0
            if subset == "near_transition":
                mask &= M.near_transition(night.stage)
            cm, un = M.confusion(night.stage[mask], pred[mask])
            cm_all += cm
            un_all += un
            scored = mask & (pred >= 0)
            conf.extend(post[scored].max(axis=1).tolist())
            corr.extend((pred[scored] == night.stage[scored]).tolist())
            am = mask & ~night.present
            cm, un = M.confusion(night.stage[am], pred[am])
            absent_cm += cm
            absent_un += un
        f = M.figures(cm_all, un_all)
        f["confusion"] = cm_all.tolist()
        f["unscored"] = un_all.tolist()
        f["ece"] = M.ece(conf, corr)
        f["absent_feature_epochs"] = {k: v for k, v in M.figures(absent_cm, absent_un).items()
                                      if k in ("epochs", "accuracy", "kappa")}
        out[subset] = f
    per_night = []
    for night, post, pred in results:
        cm, un = M.confusion(night.stage, pred)
        f = M.figures(cm, un)
        per_night.append({"night": night.name, "subject": night.subject, "epochs": f["epochs"],
                          "correct": f["correct"], "accuracy": f["accuracy"], "kappa": f["kappa"],
                          "macro_f1": f["macro_f1"], "confusion": cm.tolist(), "unscored": un.tolist()})
    kap = np.array([r["kappa"] for r in per_night])
    out["per_night_kappa"] = {"min": float(kap.min()), "p10": float(np.percentile(kap, 10)),
                              "p25": float(np.percentile(kap, 25)), "median": float(np.median(kap)),
                              "p75": float(np.percentile(kap, 75)), "max": float(kap.max())}
    out["nights"] = len(results)
    out["per_night"] = per_night
    return out


def export(mlp, hmm, fitinfo, repo, cv, final_eval, n_nights, n_subjects):
    models = os.path.join(repo, "models")
    os.makedirs(models, exist_ok=True)
    onnx_path = os.path.join(models, MODEL_ID + ".onnx")
    dummy = (torch.zeros(2, MD.FEATURES), torch.full((2, MD.WELCH), 0.2), torch.zeros(2, MD.ctx_width()))
    torch.onnx.export(mlp, dummy, onnx_path, input_names=["features", "welch", "context"],
                      output_names=["probabilities", "standardised"],
                      dynamic_axes={"features": {0: "batch"}, "welch": {0: "batch"}, "context": {0: "batch"},
                                    "probabilities": {0: "batch"}, "standardised": {0: "batch"}}, opset_version=13)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    welch_spec = {
        "input": "welch", "recipe": WELCH_RECIPE_ID, "width": MD.WELCH,
        "signals_used": [["Fpz-Cz", "Pz-Oz", "EOG"][i] for i in MD.WELCH_SIGNALS],
        "description": "relative Welch band powers, row = Fpz-Cz, Pz-Oz, EOG x (delta 0.5-4, theta 4-8, alpha 8-12, "
                       "sigma 12-16, beta 16-30 Hz), each signal's five summing to 1. The graph takes all 15 and "
                       "uses only signals_used (log(p + 1e-4), standardised, and in the night context). An epoch "
                       "without usable features uses neither its features nor its Welch powers (prediction step).",
        "live": "computed causally by Hypnostream (RelativeWelch.java, CausalBandFilter.java): per bed a 4th-order "
                "Butterworth band-pass (second-order sections, EEG 0.5-30 Hz, EOG 0.5-15 Hz; at 100 Hz its "
                "low-pass zeros sit at 50 Hz = Nyquist, so it is also the 50 Hz notch) whose state is carried "
                "across consecutive epochs (restarted after a gap or an unusable epoch at the steady state of the "
                "first sample); per 30-s epoch scipy-style Welch (Hamming 400, overlap 200, nfft 400, constant "
                "detrend, density, median average); band = trapezoidal integral over the closed band [lo, hi]; "
                "relative = band / sum of the five. No ICA, no z-score.",
        "training_values": "welch_rel of shared/data/sleep-edf-sc-features, computed by the rohnns/automated-sleep-"
                           "staging pipeline, NOT by Hypnostream: zero-phase (non-causal) FIR band-pass and notch "
                           "over the whole recording, a FastICA fitted on the WHOLE night removing components "
                           "correlating > 0.8 with the EOG, per-recording z-score, then the same Welch recipe (its "
                           "source integrates closed bands with the trapezoid rule; not checked on raw signals here). "
                           "What the difference means: the z-score cancels in relative powers and causal vs "
                           "zero-phase filtering changes in-band relative power little, but the whole-night ICA "
                           "cannot be done live: live Fpz-Cz keeps the eye-movement power that ICA removed from the "
                           "training values (wake, REM), shifting its delta/theta share there" + (
                               "; this model uses the Fpz-Cz block, so expect live figures below the CV ones in such "
                               "epochs" if 0 in MD.WELCH_SIGNALS else
                               "; this model therefore leaves the Fpz-Cz block out and uses Pz-Oz and EOG, which the "
                               "ICA changes least") + ". The CV figures are measured on the rohnns values; how well "
                           "the live causal values match them could not be measured here (no raw whole night)."}
    c = cv["all"]
    t = cv["near_transition"]
    card = {
        "id": MODEL_ID, "task": "sleep-staging", "onnx": MODEL_ID + ".onnx", "sha256": sha,
        "inputs": [{"name": "features", "shape": [-1, 105], "type": "float32"},
                   {"name": "welch", "shape": [-1, MD.WELCH], "type": "float32"},
                   {"name": "context", "shape": [-1, MD.ctx_width()], "type": "float32"}],
        "outputs": [{"name": "probabilities", "shape": [-1, 5], "type": "float32"},
                    {"name": "standardised", "shape": [-1, MD.WIDTH], "type": "float32"}],
        "input_signals": [{"label": "Fpz-Cz", "unit": "uV", "rate_hz": 100},
                          {"label": "Pz-Oz", "unit": "uV", "rate_hz": 100},
                          {"label": "EOG", "unit": "uV", "rate_hz": 100}],
        "window_seconds": 30, "hop_seconds": 30, "feature_recipe": "sleep-edf-sc-35x3",
        "output_classes": D.CLASSES, "prior_epochs": 0,
        "causal_context": {
            "type": "hmm-forward",
            "description": "alpha_t = normalise(prior_t * (max(p_t, prob_floor) / class_prior)^emission_exponent), "
                           "prior_t = normalise(alpha_{t-1} @ transition) (initial at the first epoch); an epoch "
                           "without usable features takes alpha_t = prior_t (predicted from prior epochs only); "
                           "UNSCORED when there is no prior epoch. The graph's output p_t is the calibrated "
                           "per-epoch probability (temperature inside the graph).",
            "transition": hmm.t.tolist(), "initial": hmm.init.tolist(), "class_prior": hmm.prior.tolist(),
            "emission_exponent": hmm.w, "prob_floor": MD.PROB_FLOOR, "temperature": fitinfo["temperature"],
            "welch": welch_spec,
            "night_context": {
                "input": "context", "from_output": "standardised", "width": MD.WIDTH, "spans": list(MD.CTX_SPANS),
                "rule": "context_t = concatenation over spans of the running mean m before epoch t of the graph's "
                        "'standardised' output over prior epochs that had features (start m = 0, count c = 0; after "
                        "such an epoch c += 1, a = max(1/c, 1/span), m += a (z - m)); 'standardised' does not depend "
                        "on 'context', so it is read from a first call with a zero context"}},
        "training_data": training_data_text(n_nights, n_subjects),
        "evaluation": {
            "protocol": f"{cv['folds']}-fold cross-validation grouped by subject; every expert-labelled epoch of "
                        "every night scored causally, absent-feature epochs predicted from prior epochs only",
            "accuracy": c["accuracy"], "macro_f1": c["macro_f1"], "kappa": c["kappa"],
            "per_class_f1": dict(zip(D.CLASSES, c["per_class_f1"])), "ece": c["ece"],
            "near_transition": {"accuracy": t["accuracy"], "macro_f1": t["macro_f1"], "kappa": t["kappa"]},
            "per_night_kappa_median": cv["per_night_kappa"]["median"], "epochs": c["epochs"],
            "nights": cv["nights"],
            "in_sample_final_model": {k: final_eval["all"][k] for k in ("accuracy", "macro_f1", "kappa")}},
        "limits": card_limits_text(),
        "trained_here": True,
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    with open(os.path.join(models, MODEL_ID + ".model.json"), "w") as f:
        json.dump(card, f, indent=2)
    return sha


WELCH_RECIPE_ID = "welch-rel-3x5-causal"


def training_data_text(n_nights, n_subjects):
    return (f"Sleep-EDF Expanded sleep-cassette, {n_nights} nights of {n_subjects} subjects "
            "(shared/data/sleep-edf-sc-features: TonyHGF 105 per-epoch features and rohnns welch_rel relative Welch "
            "band powers, aligned to the expert hypnograms; S3+S4 -> N3). Trained on present-feature epochs with "
            "stage >= 0; inputs: 84 of the 105 features (stager-features.md section 7 cut) log-transformed, and the "
            f"welch_rel blocks {' + '.join(['Fpz-Cz', 'Pz-Oz', 'EOG'][i] for i in MD.WELCH_SIGNALS)} as "
            "log(p + 1e-4), standardised "
            "inside the graph, plus causal running means of the night's prior standardised inputs "
            "(causal_context.night_context). The welch_rel TRAINING values came from the rohnns/automated-sleep-"
            "staging pipeline (zero-phase filters, whole-night ICA, per-recording z-score); live values are "
            "computed causally by Hypnostream (causal_context.welch).")


def card_limits_text():
    return ("Feature model (hand-crafted per-epoch time-domain features + relative Welch band powers of Pz-Oz and "
            "EOG, not a raw-waveform network); Sleep-EDF cassette population (healthy, 25-101 y, Fpz-Cz/Pz-Oz/EOG at "
            "100 Hz, 0.5 Hz high-pass recorder); features are not mean-removed so DC offsets and epoch misalignment "
            "degrade it; the Welch powers were trained on another pipeline's non-causal values (whole-night ICA, "
            "zero-phase filters) and are computed causally live, a difference not measurable here (no raw whole "
            "night); calibrated on Sleep-EDF only; causal (current + prior epochs), 30 s latency.")


def golden(mlp, hmm, nights, repo):
    """A stretch of real epochs with absent rows: raw inputs, graph outputs and filtered posteriors."""
    night = next(n for n in nights if n.name == "SC4001")
    stg = night.stage
    start = None
    for s in range(0, len(night) - 60):
        w = slice(s, s + 60)
        if (~night.present[w]).sum() >= 4 and len(set(stg[w].tolist())) >= 3:
            start = s
            break
    idx = list(range(start, start + 60))
    feats = night.features[idx]
    present = night.present[idx]
    # the slice is scored as a session of its own (fresh HMM and night context at its first epoch)
    probs, _ = MD.predict_night(mlp, feats, present)
    post, pred = hmm.run(probs, present)
    rows = []
    for i in range(60):
        rows.append({"epoch": idx[i], "stage": int(stg[idx[i]]),
                     "features": [float(v) for v in feats[i, :MD.FEATURES]] if present[i] else None,
                     "welch": [float(v) for v in feats[i, MD.FEATURES:]] if present[i] else None,
                     "probabilities": [float(v) for v in probs[i]] if present[i] else None,
                     "posterior": [float(v) for v in post[i]], "predicted": int(pred[i])})
    out = os.path.join(repo, "inference", "src", "test", "resources", "stager")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "golden.json"), "w") as f:
        json.dump({"model": MODEL_ID, "night": night.name, "rows": rows}, f)


def markdown(rep):
    c, t = rep["cv"]["all"], rep["cv"]["near_transition"]
    lines = [f"# Causal feature stager ({MODEL_ID}): evaluation", "",
             f"Protocol: {rep['cv']['folds']}-fold CV grouped by subject ({rep['cv']['nights']} nights, "
             f"{rep['subjects']} subjects); every expert-labelled epoch scored causally (absent-feature epochs "
             "predicted from prior epochs only; UNSCORED counts as an error).", "",
             "| subset | epochs | accuracy | macro-F1 | kappa | ECE | F1 W/N1/N2/N3/REM |", "|---|---|---|---|---|---|---|"]
    for name, f in (("all", c), ("within 1.5 min of a transition", t)):
        lines.append(f"| {name} | {f['epochs']} | {f['accuracy']:.4f} | {f['macro_f1']:.4f} | {f['kappa']:.4f} | "
                     f"{f['ece']:.4f} | {' / '.join(f'{v:.3f}' for v in f['per_class_f1'])} |")
    a = c["absent_feature_epochs"]
    lines += ["", f"Absent-feature epochs (predicted from prior only): {a['epochs']} epochs, accuracy "
              f"{a['accuracy']:.4f}, kappa {a['kappa']:.4f}.", "",
              "Confusion (rows expert W,N1,N2,N3,REM; cols predicted):", "", "```"]
    lines += [" ".join(f"{v:7d}" for v in row) for row in c["confusion"]]
    k = rep["cv"]["per_night_kappa"]
    lines += ["```", "", f"Per-night kappa: min {k['min']:.3f}, p10 {k['p10']:.3f}, p25 {k['p25']:.3f}, median "
              f"{k['median']:.3f}, p75 {k['p75']:.3f}, max {k['max']:.3f}.", "",
              "Targets: accuracy >= 0.82: " + ("met" if c["accuracy"] >= 0.82 else "NOT met")
              + "; macro-F1 >= 0.75: " + ("met" if c["macro_f1"] >= 0.75 else "NOT met")
              + "; kappa >= 0.76: " + ("met" if c["kappa"] >= 0.76 else "NOT met") + ".", "",
              f"Final model (all nights; in-sample, used for the Java parity check): accuracy "
              f"{rep['final_in_sample']['all']['accuracy']:.4f}, kappa {rep['final_in_sample']['all']['kappa']:.4f}.",
              ""]
    lines += variants_table()
    lines += [LIMITS, f"Variant of this model: {json.dumps(rep.get('variant'))}",
              f"Folds: {json.dumps(rep['cv']['fold_info'])}", f"Run time: {rep['seconds']:.0f} s", ""]
    return "\n".join(lines)


def variants_table():
    """CV figures of every variant tried (training/stager/variants.json, collected from the --no-export runs)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "variants.json")
    if not os.path.exists(path):
        return []
    rows = json.load(open(path))
    out = ["## Variants tried (same protocol, 5-fold subject-grouped CV)", "",
           "| welch_rel blocks | MLP | accuracy | macro-F1 | kappa | N1 F1 | command |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['welch']} | {r['hidden']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | {r['kappa']:.4f} | "
                   f"{r['n1_f1']} | `{r['command']}` |")
    return out + ["", "Shipped: the Pz-Oz + EOG row with MLP 128,64. Adding the Fpz-Cz block scores about 0.004 kappa higher in "
                  "CV, but its training values were cleaned by a whole-night ICA that cannot run live (Fpz-Cz in "
                  "eye-movement epochs), so that gain would not carry over honestly; Pz-Oz and EOG are the blocks the "
                  "ICA changes least. A 512,256 MLP was stopped after two folds (inner-validation kappa 0.740 and 0.750, "
                  "below the 128,64 model's 0.745 and 0.754 on the same folds). The none row reproduces v1 exactly.", ""]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                    help="repository root receiving models/ and the Java golden vectors")
    ap.add_argument("--report-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--spans", default="100,3", help="comma-separated running-mean spans of the night context")
    ap.add_argument("--welch", default="no-fpz", choices=sorted(WELCH_CHOICES),
                    help="welch_rel signals used: all, no-fpz (Pz-Oz + EOG), none")
    ap.add_argument("--hidden", default="128,64", help="MLP hidden widths")
    ap.add_argument("--no-export", action="store_true", help="CV only (no final model, ONNX, golden vectors)")
    args = ap.parse_args()
    MD.CTX_SPANS[:] = [int(v) for v in args.spans.split(",")]
    MD.HIDDEN[:] = [int(v) for v in args.hidden.split(",")]
    MD.configure(WELCH_CHOICES[args.welch])
    torch.set_num_threads(1)
    t0 = time.time()
    nights = D.load_input_rows(args.data)
    subjects = sorted({n.subject for n in nights})
    print(f"{len(nights)} nights, {len(subjects)} subjects", flush=True)
    folds = split_subjects(subjects, args.folds, SEED)
    results, fold_info = [], []
    for k, test_subj in enumerate(folds):
        train = [n for n in nights if n.subject not in test_subj]
        test = [n for n in nights if n.subject in test_subj]
        mlp, hmm, info = fit(train, SEED + k)
        for n in test:
            post, pred = run_night(mlp, hmm, n)
            results.append((n, post, pred))
        info["test_subjects"] = sorted(int(s) for s in test_subj)
        fold_info.append(info)
        print(f"fold {k}: {info} ({time.time() - t0:.0f} s)", flush=True)
    results.sort(key=lambda r: r[0].name)
    cv = evaluate(results)
    cv["folds"] = args.folds
    cv["fold_info"] = fold_info
    print(f"CV: acc {cv['all']['accuracy']:.4f} mf1 {cv['all']['macro_f1']:.4f} kappa {cv['all']['kappa']:.4f}",
          flush=True)
    variant = {"welch": args.welch, "hidden": MD.HIDDEN, "spans": MD.CTX_SPANS}
    if args.no_export:
        os.makedirs(args.report_dir, exist_ok=True)
        with open(os.path.join(args.report_dir, "cv.json"), "w") as f:
            json.dump({"variant": variant, "cv": {k: v for k, v in cv.items() if k != "per_night"},
                       "seconds": time.time() - t0}, f, indent=1)
        return
    mlp, hmm, info = fit(nights, SEED + 100)
    final = evaluate([(n, *run_night(mlp, hmm, n)) for n in nights])
    sha = export(mlp, hmm, info, args.out, cv, final, len(nights), len(subjects))
    golden(mlp, hmm, nights, args.out)
    rep = {"model": MODEL_ID, "variant": variant, "sha256": sha, "subjects": len(subjects), "cv": cv, "final_fit": info,
           "final_in_sample": final, "seconds": time.time() - t0}
    here = args.report_dir
    os.makedirs(here, exist_ok=True)
    with open(os.path.join(here, "report.json"), "w") as f:
        json.dump(rep, f, indent=1)
    with open(os.path.join(here, "report.md"), "w") as f:
        f.write(markdown(rep))
    print(markdown(rep))


if __name__ == "__main__":
    main()
