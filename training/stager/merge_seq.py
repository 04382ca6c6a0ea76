"""Stager v3: merge the per-fold CV runs and the final fit, then export (ONNX, card, golden vectors, report).

The CV and the final fit run as separate processes (they share nothing but the data), e.g.
  /usr/bin/python3 training/stager/train_seq.py --epochs 10 --threads 1 --only-folds 0,1,2 --dump DUMP --no-export
  /usr/bin/python3 training/stager/train_seq.py --epochs 10 --threads 1 --only-folds 3,4 --dump DUMP --no-export
  /usr/bin/python3 training/stager/train_seq.py --epochs 10 --threads 1 --final-only DUMP/final.pkl
  /usr/bin/python3 training/stager/merge_seq.py --dump DUMP [--command "..."]
Each fold's dump holds its test nights' graph outputs, its chain (fitted on its inner validation subjects) and the
v2 baseline's predictions on the same folds; the figures are computed here exactly as train_seq.py would.
"""
import argparse
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import export_seq as E  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--final", default=None, help="final-fit pickle (default DUMP/final.pkl)")
    ap.add_argument("--out", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    ap.add_argument("--report-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--command", default="")
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(1)
    nights = D.load_input_rows(args.data)
    by_name = {n.name: n for n in nights}
    subjects = sorted({n.subject for n in nights})
    res = {"live": [], "revised": [], "live_without_hmm": [], "v2": []}
    fold_info, seconds = [], 0.0
    for k in range(args.folds):
        with open(os.path.join(args.dump, f"fold{k}.pkl"), "rb") as f:
            d = pickle.load(f)
        chain = d["chain"]
        d["info"]["absent_temperature"] = S.fit_absent_temperature(
            chain, [(by_name[name], p, pw) for name, p, pw, _ in d["val"]])
        for name, p, pw, pb in d["test"]:
            n = by_name[name]
            res["live"].append((n, *chain.live(p, pw, n.present)))
            res["revised"].append((n, *chain.revised(p, pb, pw, n.present)))
            w = chain.w
            chain.w = None
            res["live_without_hmm"].append((n, *chain.live(p, pw, n.present)))
            chain.w = w
        for name, post, pred in d.get("v2", []):
            res["v2"].append((by_name[name], post, pred))
        fold_info.append(d["info"])
    rep = {"model": T.MODEL_ID, "folds": args.folds, "fold_info": fold_info, "subjects": len(subjects),
           "command": args.command}
    for name, r in res.items():
        if r:
            r.sort(key=lambda x: x[0].name)
            rep[name] = T.evaluate(r)
            a = rep[name]["all"]
            print(f"{name}: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} ece {a['ece']:.4f} "
                  f"absent {rep[name]['absent_epochs']['accuracy']:.4f} after-absent "
                  f"{rep[name]['after_absent']['accuracy']:.4f}", flush=True)
    final = args.final or os.path.join(args.dump, "final.pkl")
    with open(final, "rb") as f:
        fin = pickle.load(f)
    rep["seconds"] = sum(fi.get("seconds", 0.0) for fi in fold_info) + fin.get("seconds", 0.0)
    if args.no_export:
        return
    model = S.SeqStager(np.zeros(MD.WIDTH), np.ones(MD.WIDTH), fin["window"], fin["hidden"])
    model.load_state_dict(fin["state"])
    model.eval()
    # the shipped fit's absent-branch temperature, on its own inner-validation subjects (as train_seq.fit splits them)
    val_subj = V2.split_subjects({n.subject for n in nights}, 7, T.SEED + 100)[0]
    val = [n for n in nights if n.subject in val_subj]
    fin["info"]["absent_temperature"] = S.fit_absent_temperature(
        fin["chain"], [(n, *S.night_outputs(model, n.features, n.present)) for n in val])
    print(f"final absent temperature {fin['chain'].absent_temperature}", flush=True)
    E.export_from(model, fin["chain"], fin["info"], nights, subjects, rep, args.out, args.report_dir)
    print("exported", flush=True)


if __name__ == "__main__":
    main()
