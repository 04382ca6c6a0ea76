"""Stager v3: cross-validate (grouped by subject), calibrate and export the causal sequence stager.

/usr/bin/python3 training/stager/train_seq.py [--data DIR] [--folds 5] [--windows 20] [--hidden 64] [--no-export]
Same folds, inner validation split and scoring protocol as train.py (v2), whose model is re-fitted on the same folds
for the side-by-side figures (--no-baseline skips it). Writes training/stager/report-v3.json + report-v3.md,
models/stager-features-welch-gru-v3.onnx + .model.json and the Java golden vectors
inference/src/test/resources/stager/golden-v3.json.
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
import sequence as S  # noqa: E402
import train as V2  # noqa: E402

MODEL_ID = "stager-features-welch-gru-v3"
SEED = V2.SEED
HMM_EXPONENTS = [None, 0.3, 0.5, 0.7, 1.0]
WELCH_EXPONENTS = [0.0, 0.5, 1.0]
REVISED_EXPONENTS = [0.0, 0.3, 0.6]
REVISED_MIX = [0.0, 0.5, 1.0]
MEMBER_STRIDE = 7919  # ensemble member m: model init and GRU training from seed + 7919 m (same folds and inner split)


def seqs_of(model, nights):
    out = []
    for n in nights:
        z = S.standardise(model, np.nan_to_num(n.features[n.present], nan=0.0))
        out.append((z, n.stage[n.present]))
    return out


def welch_rows(model, nights):
    zs, ys = [], []
    for n in nights:
        m = n.stage >= 0
        zs.append(S.standardise(model, np.nan_to_num(n.features[m], nan=0.0)))
        ys.append(n.stage[m])
    return np.concatenate(zs), np.concatenate(ys)


def kappa_of(nights, preds):
    cm_all = np.zeros((5, 5), dtype=np.int64)
    un_all = np.zeros(5, dtype=np.int64)
    for n, pred in zip(nights, preds):
        cm, un = M.confusion(n.stage, pred)
        cm_all += cm
        un_all += un
    return M.figures(cm_all, un_all)["kappa"]


def fit(train_nights, seed, windows, hiddens, epochs, member=0):
    """GRU(s) on inner-train subjects; window/width, temperatures and chain exponents chosen on inner-validation."""
    subjects = {n.subject for n in train_nights}
    val_subj = V2.split_subjects(subjects, 7, seed)[0]
    inner = [n for n in train_nights if n.subject not in val_subj]
    val = [n for n in train_nights if n.subject in val_subj]
    mean, std = MD.fit_stats(np.concatenate([n.features[n.present] for n in inner]))
    trans, init = MD.learn_hmm(train_nights)
    prior = np.bincount(np.concatenate([n.stage[n.present & (n.stage >= 0)] for n in inner]), minlength=5)
    prior = prior / prior.sum()
    wy = np.concatenate([n.stage[n.stage >= 0] for n in inner])
    wprior = np.bincount(wy, minlength=5) / len(wy)
    best, sweep = None, []
    val_outputs = None
    for window in windows:
        for hidden in hiddens:
            model = S.SeqStager(mean, std, window, hidden)
            model = S.train_gru(seqs_of(model, inner), mean, std, window, hidden, seed + MEMBER_STRIDE * member,
                                epochs=epochs)
            zw, yw = welch_rows(model, inner)
            S.train_welch_head(model, zw, yw, seed)
            vl = np.concatenate([S.window_logits(model, z)[y >= 0].numpy() for z, y in seqs_of(model, val)])
            vy = np.concatenate([y[y >= 0] for _, y in seqs_of(model, val)])
            temp = S.fit_temperature(torch.from_numpy(vl), vy)
            model.inv_temperature.fill_(1.0 / temp)
            zv, yv = welch_rows(model, val)
            with torch.no_grad():
                wtemp = S.fit_temperature(model.welch_logits(torch.from_numpy(zv)).double(), yv)
            model.inv_temperature_welch.fill_(1.0 / wtemp)
            vb = np.concatenate([S.bi_window_logits(model, z)[y >= 0].numpy() for z, y in seqs_of(model, val)])
            btemp = S.fit_temperature(torch.from_numpy(vb), vy)
            model.inv_temperature_bi.fill_(1.0 / btemp)
            backs = [S.night_back(model, n.features, n.present) for n in val]
            outs = [S.night_outputs(model, n.features, n.present) for n in val]
            chain = S.Chain(trans, init, prior, wprior, None, 0.0, 1.0)
            kap_live = {}
            for w in HMM_EXPONENTS:
                chain.w = w
                kap_live[str(w)] = kappa_of(val, [chain.live(p, pw, n.present)[1] for n, (p, pw) in zip(val, outs)])
            chain.w = max(HMM_EXPONENTS, key=lambda w: kap_live[str(w)])
            kap_v = {}
            for v in WELCH_EXPONENTS:
                chain.v = v
                kap_v[str(v)] = kappa_of(val, [chain.live(p, pw, n.present)[1] for n, (p, pw) in zip(val, outs)])
            chain.v = max(WELCH_EXPONENTS, key=lambda v: kap_v[str(v)])
            S.fit_absent_temperature(chain, [(n, p, pw) for n, (p, pw) in zip(val, outs)])
            kap_r = {}
            for mix in REVISED_MIX:
                for wr in REVISED_EXPONENTS:
                    chain.wr, chain.mix = wr, mix
                    kap_r[f"{mix}/{wr}"] = kappa_of(val, [chain.revised(p, pb, pw, n.present)[1]
                                                          for n, (p, pw), pb in zip(val, outs, backs)])
            best_r = max(kap_r, key=kap_r.get)
            chain.mix, chain.wr = (float(v) for v in best_r.split("/"))
            row = {"window": window, "hidden": hidden, "temperature": temp, "welch_temperature": wtemp, "back_temperature": btemp,
                   "val_kappa_by_hmm_exponent": kap_live, "val_kappa_by_welch_exponent": kap_v,
                   "val_revised_kappa_by_exponent": kap_r, "hmm_exponent": chain.w, "welch_exponent": chain.v,
                   "revised_exponent": chain.wr, "revised_mix": chain.mix, "val_kappa": max(kap_v.values())}
            sweep.append(row)
            print(f"  K={window} h={hidden}: {row}", flush=True)
            if best is None or row["val_kappa"] > best[0]["val_kappa"]:
                best = (row, model, chain)
                val_outputs = [(n.name, p, pw, pb) for n, (p, pw), pb in zip(val, outs, backs)]
    info = dict(best[0])
    info["sweep"] = sweep
    info["inner_train_subjects"] = len(subjects) - len(val_subj)
    info["val_subjects"] = len(val_subj)
    info["_val_outputs"] = val_outputs
    return best[1], best[2], info


def after_absent(present):
    """Present epochs whose previous epoch is absent."""
    m = np.zeros(len(present), dtype=bool)
    m[1:] = present[1:] & ~present[:-1]
    return m


def evaluate(results):
    """results: list of (night, post, pred). Figures over all labelled epochs and subsets."""
    subsets = {"all": lambda n: n.stage >= 0,
               "near_transition": lambda n: (n.stage >= 0) & M.near_transition(n.stage),
               "absent_epochs": lambda n: (n.stage >= 0) & ~n.present,
               "after_absent": lambda n: (n.stage >= 0) & after_absent(n.present),
               "full_window_present": None}
    out = {}
    for name, sel in subsets.items():
        if sel is None:
            continue
        cm_all = np.zeros((5, 5), dtype=np.int64)
        un_all = np.zeros(5, dtype=np.int64)
        conf, corr = [], []
        for night, post, pred in results:
            mask = sel(night)
            cm, un = M.confusion(night.stage[mask], pred[mask])
            cm_all += cm
            un_all += un
            scored = mask & (pred >= 0)
            conf.extend(post[scored].max(axis=1).tolist())
            corr.extend((pred[scored] == night.stage[scored]).tolist())
        f = M.figures(cm_all, un_all)
        f["confusion"] = cm_all.tolist()
        f["unscored"] = un_all.tolist()
        f["ece"] = M.ece(conf, corr)
        if name == "all":
            f["reliability"] = reliability(conf, corr)
        out[name] = f
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


def reliability(conf, corr, bins=15):
    conf = np.asarray(conf)
    corr = np.asarray(corr, dtype=np.float64)
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        m = idx == b
        if m.any():
            rows.append({"bin": [b / bins, (b + 1) / bins], "epochs": int(m.sum()),
                         "mean_confidence": float(conf[m].mean()), "accuracy": float(corr[m].mean())})
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap.add_argument("--report-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--windows", default="20")
    ap.add_argument("--hidden", default="64")
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--only-folds", default=None, help="comma-separated fold numbers (sweeps)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dump", default=None, help="folder for per-fold graph outputs (re-scoring rules offline)")
    ap.add_argument("--final-only", default=None, help="fit the shipped model on all nights, save it to this file")
    ap.add_argument("--member", type=int, default=0, help="ensemble member: GRU seed offset (0 = the v3 seeds)")
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(args.threads)
    windows = [int(v) for v in args.windows.split(",")]
    hiddens = [int(v) for v in args.hidden.split(",")]
    t0 = time.time()
    nights = D.load_input_rows(args.data)
    subjects = sorted({n.subject for n in nights})
    print(f"{len(nights)} nights, {len(subjects)} subjects", flush=True)
    folds = V2.split_subjects(subjects, args.folds, SEED)
    only = None if args.only_folds is None else {int(v) for v in args.only_folds.split(",")}
    if args.final_only:  # the shipped model's fit (all nights), saved for merge_seq.py
        import pickle
        model, chain, info = fit(nights, SEED + 100, windows, hiddens, args.epochs, args.member)
        info.pop("_val_outputs", None)
        with open(args.final_only, "wb") as f:
            pickle.dump({"state": model.state_dict(), "window": windows[0], "hidden": hiddens[0], "chain": chain,
                         "info": info, "seconds": time.time() - t0}, f)
        print(f"final fit saved ({time.time() - t0:.0f} s)", flush=True)
        return
    live, revised, nohmm, base, fold_info = [], [], [], [], []
    for k, test_subj in enumerate(folds):
        if only is not None and k not in only:
            continue
        train = [n for n in nights if n.subject not in test_subj]
        test = [n for n in nights if n.subject in test_subj]
        model, chain, info = fit(train, SEED + k, windows, hiddens, args.epochs, args.member)
        w = chain.w
        dump = {"val": info.pop("_val_outputs"), "test": [], "chain": chain}
        for n in test:
            p, pw = S.night_outputs(model, n.features, n.present)
            dump["test"].append((n.name, p, pw, S.night_back(model, n.features, n.present)))
            live.append((n, *chain.live(p, pw, n.present)))
            revised.append((n, *chain.revised(p, S.night_back(model, n.features, n.present), pw, n.present)))
            chain.w = None
            nohmm.append((n, *chain.live(p, pw, n.present)))
            chain.w = w
        if not args.no_baseline:
            MD.configure(V2.WELCH_CHOICES["no-fpz"])
            mlp, hmm, _ = V2.fit(train, SEED + k)
            dump["v2"] = []
            for n in test:
                base.append((n, *V2.run_night(mlp, hmm, n)))
                dump["v2"].append((n.name, base[-1][1], base[-1][2]))
        info["test_subjects"] = sorted(int(s) for s in test_subj)
        fold_info.append(info)
        if args.dump:
            import pickle
            os.makedirs(args.dump, exist_ok=True)
            dump["info"] = info
            with open(os.path.join(args.dump, f"fold{k}.pkl"), "wb") as f:
                pickle.dump(dump, f)
        print(f"fold {k} done ({time.time() - t0:.0f} s)", flush=True)
    rep = {"model": MODEL_ID, "folds": args.folds, "command": " ".join(["/usr/bin/python3"] + sys.argv), "fold_info": fold_info, "subjects": len(subjects),
           "args": vars(args)}
    for name, res in (("live", live), ("revised", revised), ("live_without_hmm", nohmm), ("v2", base)):
        if res:
            res.sort(key=lambda r: r[0].name)
            rep[name] = evaluate(res)
            a = rep[name]["all"]
            print(f"{name}: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} "
                  f"ece {a['ece']:.4f} absent {rep[name]['absent_epochs']['accuracy']:.4f} after-absent "
                  f"{rep[name]['after_absent']['accuracy']:.4f}", flush=True)
    rep["seconds"] = time.time() - t0
    os.makedirs(args.report_dir, exist_ok=True)
    name = "cv-v3.json" if args.no_export else "report-v3.json"
    with open(os.path.join(args.report_dir, name), "w") as f:
        json.dump(rep, f, indent=1)
    if args.no_export:
        return
    import export_seq
    export_seq.export_all(nights, subjects, rep, args, windows, hiddens)
    print(f"exported ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
