"""Probe (offline, from the per-fold dumps): a class re-weighting of the live graph's probabilities,
p' = normalise(p * w) with w = 1 except w_N1 (the rare, short stage; F1 0.41), to trade other stages' precision for
N1 recall. w_N1 is chosen per fold on the inner-validation subjects (grid 0.8-2.5) by live kappa or by macro-F1,
then the fold's test nights are scored with the chain of the dump (its own absent temperature re-fitted on the
re-weighted validation outputs, as merge_seq.py does).

  /usr/bin/python3 training/stager/probe_class_weight.py --dumps /tmp/s3cv --only-folds 0,1,2,3,4 --by kappa|macro_f1
"""
import argparse
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import eval_ensemble as EE  # noqa: E402
import metrics as M  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402

GRID = [0.8, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5]


def weighted(p, w):
    q = p.astype(np.float64) * w
    s = q.sum(axis=1, keepdims=True)
    return np.where(s > 0, q / np.where(s > 0, s, 1.0), 0.0).astype(np.float32)


def figures(items, chain):
    cm_all, un_all = np.zeros((5, 5), dtype=np.int64), np.zeros(5, dtype=np.int64)
    for n, p, pw in items:
        cm, un = M.confusion(n.stage, chain.live(p, pw, n.present)[1])
        cm_all += cm
        un_all += un
    return M.figures(cm_all, un_all)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dumps", required=True)
    ap.add_argument("--only-folds", required=True)
    ap.add_argument("--by", default="kappa", choices=["kappa", "macro_f1"])
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(1)
    nights = D.load_nights(args.data or D.default_dir())
    by_name = {n.name: n for n in nights}
    res = []
    for k in [int(v) for v in args.only_folds.split(",")]:
        ds = []
        for dump in args.dumps.split(","):
            with open(os.path.join(dump, f"fold{k}.pkl"), "rb") as f:
                ds.append(pickle.load(f))
        chain = ds[0]["chain"]
        val = [(by_name[r[0]], EE.average([d["val"][i][1] for d in ds]), r[2]) for i, r in enumerate(ds[0]["val"])]
        scores = {}
        for wn1 in GRID:
            w = np.array([1.0, wn1, 1.0, 1.0, 1.0])
            scores[wn1] = figures([(n, weighted(p, w), pw) for n, p, pw in val], chain)[args.by]
        wn1 = max(GRID, key=lambda v: scores[v])
        w = np.array([1.0, wn1, 1.0, 1.0, 1.0])
        S.fit_absent_temperature(chain, [(n, weighted(p, w), pw) for n, p, pw in val])
        print(f"fold {k}: w_N1 {wn1} (val {args.by} " + ", ".join(f"{g}: {v:.4f}" for g, v in scores.items()) + ")",
              flush=True)
        for i, r in enumerate(ds[0]["test"]):
            n = by_name[r[0]]
            p = weighted(EE.average([d["test"][i][1] for d in ds]), w)
            res.append((n, *chain.live(p, r[2], n.present)))
    res.sort(key=lambda x: x[0].name)
    a = T.evaluate(res)["all"]
    print(f"live: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} ece {a['ece']:.4f} "
          f"F1 {' / '.join(f'{v:.3f}' for v in a['per_class_f1'])}", flush=True)


if __name__ == "__main__":
    main()
