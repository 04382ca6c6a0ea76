"""Stager v3 sweeps: the CV figures of SOME folds' dumps (train_seq.py --dump), computed exactly as merge_seq.py
computes the shipped report's (per-fold absent-branch temperature on the fold's inner-validation outputs, then
live / revised / live-without-HMM over the folds' test nights), so a sweep variant trained on a subset of folds can be
compared with the shipped model's dump of the same folds.

  /usr/bin/python3 training/stager/eval_folds.py --dump DIR --only-folds 0 [--json OUT]
"""
import argparse
import json
import os
import pickle
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--only-folds", required=True, help="comma-separated fold numbers")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(1)
    nights = D.load_input_rows(args.data)
    by_name = {n.name: n for n in nights}
    res = {"live": [], "revised": []}
    infos = []
    for k in [int(v) for v in args.only_folds.split(",")]:
        with open(os.path.join(args.dump, f"fold{k}.pkl"), "rb") as f:
            d = pickle.load(f)
        chain = d["chain"]
        d["info"]["absent_temperature"] = S.fit_absent_temperature(
            chain, [(by_name[name], p, pw) for name, p, pw, _ in d["val"]])
        for name, p, pw, pb in d["test"]:
            n = by_name[name]
            res["live"].append((n, *chain.live(p, pw, n.present)))
            res["revised"].append((n, *chain.revised(p, pb, pw, n.present)))
        infos.append({"fold": k, "window": d["info"].get("window"), "hidden": d["info"].get("hidden"),
                      "val_kappa": d["info"].get("val_kappa"), "nights": len(d["test"])})
    out = {"dump": args.dump, "folds": infos}
    for name, r in res.items():
        r.sort(key=lambda x: x[0].name)
        a = T.evaluate(r)["all"]
        out[name] = {k: a[k] for k in ("accuracy", "macro_f1", "kappa", "ece")}
        print(f"{name}: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} ece {a['ece']:.4f}",
              flush=True)
    print(json.dumps(infos), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
