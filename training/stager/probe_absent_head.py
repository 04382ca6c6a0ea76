"""Probe (offline, from the per-fold dumps): a learned absent-epoch head instead of the chain's
normalise(predict(alpha) * (pw / welch_prior)^e).

Head: multinomial logistic regression on [log alpha_prev (5), log pw (5)], alpha_prev = the live posterior of the last
PRESENT epoch before the epoch, pw = the epoch's own Welch-only probabilities (a function of its own standardised Welch
powers). Trained on ALL labelled epochs of the fold's inner-validation nights that have a present epoch before them
(present and absent alike; not on absent epochs only, which would learn the data's artefact), temperature on the same
nights' absent epochs is not re-fitted (the head is already trained by NLL). Scored on the fold's test nights'
absent epochs, next to the shipped branch. Present epochs are unchanged by construction (no later epoch reads it).

  /usr/bin/python3 training/stager/probe_absent_head.py --dumps /tmp/s3cv --only-folds 0,1,2,3,4
"""
import argparse
import os
import pickle
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import eval_ensemble as EE  # noqa: E402
import metrics as M  # noqa: E402
import model as MD  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402


def rows(chain, n, p, pw):
    """Per epoch with a previous present epoch: (x = [log alpha_prev, log pw], label, absent?)."""
    post, _ = chain.live(p, pw, n.present)
    xs, ys, ab, idx = [], [], [], []
    last = None
    for i in range(len(n.present)):
        if last is not None and n.stage[i] >= 0:
            xs.append(np.concatenate([np.log(np.maximum(last, 1e-6)), np.log(np.maximum(pw[i], 1e-6))]))
            ys.append(n.stage[i])
            ab.append(not n.present[i])
            idx.append(i)
        if n.present[i]:
            last = post[i]
    return np.array(xs), np.array(ys), np.array(ab, dtype=bool), np.array(idx)


def train_head(x, y, seed=0, iters=500):
    torch.manual_seed(seed)
    lin = nn.Linear(x.shape[1], 5)
    xt, yt = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y.astype(np.int64))
    opt = torch.optim.Adam(lin.parameters(), lr=0.05)
    for _ in range(iters):
        opt.zero_grad()
        nn.functional.cross_entropy(lin(xt), yt).backward()
        opt.step()
    return lin


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dumps", required=True)
    ap.add_argument("--only-folds", required=True)
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(1)
    nights = D.load_nights(args.data or D.default_dir())
    by_name = {n.name: n for n in nights}
    tot = {"shipped": [0, 0], "head": [0, 0]}
    conf = {"shipped": ([], []), "head": ([], [])}
    cms = {"shipped": np.zeros((5, 5), dtype=np.int64), "head": np.zeros((5, 5), dtype=np.int64)}
    for k in [int(v) for v in args.only_folds.split(",")]:
        ds = []
        for dump in args.dumps.split(","):
            with open(os.path.join(dump, f"fold{k}.pkl"), "rb") as f:
                ds.append(pickle.load(f))
        chain = ds[0]["chain"]
        # the shipped branch's absent temperature, as merge_seq.py fits it
        import sequence as S
        S.fit_absent_temperature(chain, [(by_name[r[0]], r[1], r[2]) for r in ds[0]["val"]])
        xv, yv = [], []
        for r in ds[0]["val"]:
            x, y, _, _ = rows(chain, by_name[r[0]], r[1], r[2])
            xv.append(x)
            yv.append(y)
        head = train_head(np.concatenate(xv), np.concatenate(yv))
        for r in ds[0]["test"]:
            n = by_name[r[0]]
            post, pred = chain.live(r[1], r[2], n.present)
            x, y, ab, idx = rows(chain, n, r[1], r[2])
            with torch.no_grad():
                q = torch.softmax(head(torch.from_numpy(x[ab].astype(np.float32))), 1).numpy()
            i = idx[ab]
            for name, pr, cf in (("shipped", pred[i], post[i].max(1)), ("head", q.argmax(1), q.max(1))):
                tot[name][0] += int((pr == y[ab]).sum())
                tot[name][1] += len(pr)
                conf[name][0].extend(cf.tolist())
                conf[name][1].extend((pr == y[ab]).tolist())
                cm, _ = M.confusion(y[ab], pr)
                cms[name] += cm
        print(f"fold {k}: shipped {tot['shipped'][0] / tot['shipped'][1]:.4f} head {tot['head'][0] / tot['head'][1]:.4f}"
              f" (cumulative, absent epochs with a prior present epoch)", flush=True)
    for name in tot:
        f = M.figures(cms[name], np.zeros(5, dtype=np.int64))
        print(f"{name}: absent epochs {tot[name][1]}, accuracy {f['accuracy']:.4f} kappa {f['kappa']:.4f} "
              f"ECE {M.ece(*conf[name]):.4f}", flush=True)


if __name__ == "__main__":
    main()
