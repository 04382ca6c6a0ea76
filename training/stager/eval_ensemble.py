"""Stager v3 ensembles, scored offline from per-fold dumps (train_seq.py --dump, one folder per member, e.g. the
shipped run's dump as member 0 and `train_seq.py --member 1 ...` as member 1).

Per fold: the members' calibrated probabilities are averaged (live graph and re-score graph alike); the Welch-only head is
member 0's (every member fits one on the same rows and standardisation, from its own random start, so they differ
slightly; the ensemble graph carries one), an ensemble temperature is fitted on the
inner-validation outputs (softmax(log(mean p) / T), grid 0.5-3.0, minimum NLL), then the chain's choices are made on
the same inner-validation subjects exactly as train_seq.fit makes them (HMM exponent, Welch exponent, absent
temperature, revised mix / exponent), and the fold's test nights are scored as merge_seq.py scores them.

  /usr/bin/python3 training/stager/eval_ensemble.py --dumps /tmp/s3cv,/tmp/ens/m1 --only-folds 0,1,2,3,4 [--json OUT]
"""
import argparse
import json
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402


def average(probs, temperature=1.0):
    """Mean of the members' probabilities, re-tempered: softmax(log(mean) / T), rows of zeros stay zero."""
    m = np.mean(np.stack([p.astype(np.float64) for p in probs]), axis=0)
    if abs(temperature - 1.0) < 1e-6:  # no re-tempering (the exported graph then outputs the mean itself)
        return m.astype(np.float32)
    out = np.zeros_like(m)
    rows = m.sum(axis=1) > 0
    lg = np.log(np.maximum(m[rows], 1e-12)) / temperature
    lg -= lg.max(axis=1, keepdims=True)
    e = np.exp(lg)
    out[rows] = e / e.sum(axis=1, keepdims=True)
    return out.astype(np.float32)


def fit_ens_temperature(probs_by_night, nights):  # noqa: D401
    """probs_by_night: list of member-lists of (n,5) arrays; minimum NLL of the averaged probabilities over the
    labelled present epochs of the held-out nights."""
    best = (float("inf"), 1.0)
    for temp in np.arange(0.5, 3.01, 0.05):
        nll = []
        for probs, n in zip(probs_by_night, nights):
            q = average(probs, temp)
            m = n.present & (n.stage >= 0)
            nll.append(-np.log(np.maximum(q[m, n.stage[m]], 1e-12)))
        v = float(np.mean(np.concatenate(nll)))
        if v < best[0]:
            best = (v, float(temp))
    return best[1]


def choose_chain(chain, val):
    """val: list of (night, p, pw, pb). The choices of train_seq.fit, on the ensemble's outputs."""
    kap = {}
    for w in T.HMM_EXPONENTS:
        chain.w = w
        kap[str(w)] = T.kappa_of([n for n, *_ in val], [chain.live(p, pw, n.present)[1] for n, p, pw, _ in val])
    chain.w = max(T.HMM_EXPONENTS, key=lambda w: kap[str(w)])
    kv = {}
    for v in T.WELCH_EXPONENTS:
        chain.v = v
        kv[str(v)] = T.kappa_of([n for n, *_ in val], [chain.live(p, pw, n.present)[1] for n, p, pw, _ in val])
    chain.v = max(T.WELCH_EXPONENTS, key=lambda v: kv[str(v)])
    S.fit_absent_temperature(chain, [(n, p, pw) for n, p, pw, _ in val])
    kr = {}
    for mix in T.REVISED_MIX:
        for wr in T.REVISED_EXPONENTS:
            chain.wr, chain.mix = wr, mix
            kr[f"{mix}/{wr}"] = T.kappa_of([n for n, *_ in val],
                                           [chain.revised(p, pb, pw, n.present)[1] for n, p, pw, pb in val])
    best = max(kr, key=kr.get)
    chain.mix, chain.wr = (float(v) for v in best.split("/"))
    return {"val_kappa_by_hmm_exponent": kap, "val_kappa_by_welch_exponent": kv, "val_revised_kappa": kr,
            "hmm_exponent": chain.w, "welch_exponent": chain.v, "absent_temperature": chain.absent_temperature,
            "revised_mix": chain.mix, "revised_exponent": chain.wr, "val_kappa": max(kv.values())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dumps", required=True, help="comma-separated dump folders, one per member")
    ap.add_argument("--only-folds", required=True, help="comma-separated fold numbers")
    ap.add_argument("--no-ens-temperature", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    torch.set_num_threads(1)
    nights = D.load_input_rows(args.data)
    by_name = {n.name: n for n in nights}
    res = {"live": [], "revised": []}
    infos = []
    for k in [int(v) for v in args.only_folds.split(",")]:
        ds = []
        for dump in args.dumps.split(","):
            with open(os.path.join(dump, f"fold{k}.pkl"), "rb") as f:
                ds.append(pickle.load(f))
        chain = ds[0]["chain"]
        for part in ("val", "test"):
            names = [[r[0] for r in d[part]] for d in ds]
            assert all(x == names[0] for x in names), "members scored different nights"
        vn = [by_name[r[0]] for r in ds[0]["val"]]
        if args.no_ens_temperature:
            tl = tb = 1.0
        else:
            tl = fit_ens_temperature([[d["val"][i][1] for d in ds] for i in range(len(vn))], vn)
            tb = fit_ens_temperature([[d["val"][i][3] for d in ds] for i in range(len(vn))], vn)

        def ens(part, i):
            return (average([d[part][i][1] for d in ds], tl), ds[0][part][i][2],
                    average([d[part][i][3] for d in ds], tb))
        val = [(vn[i], *ens("val", i)) for i in range(len(vn))]
        info = choose_chain(chain, val)
        info.update({"fold": k, "members": len(ds), "ens_temperature": tl, "ens_back_temperature": tb,
                     "member_val_kappa": [d["info"].get("val_kappa") for d in ds]})
        for i, r in enumerate(ds[0]["test"]):
            n = by_name[r[0]]
            p, pw, pb = ens("test", i)
            res["live"].append((n, *chain.live(p, pw, n.present)))
            res["revised"].append((n, *chain.revised(p, pb, pw, n.present)))
        infos.append(info)
        print(f"fold {k}: {json.dumps({x: info[x] for x in ('val_kappa', 'member_val_kappa', 'ens_temperature', 'ens_back_temperature', 'welch_exponent', 'absent_temperature', 'revised_mix', 'revised_exponent', 'hmm_exponent')})}", flush=True)
    out = {"dumps": args.dumps, "folds": infos}
    for name, r in res.items():
        r.sort(key=lambda x: x[0].name)
        ev = T.evaluate(r)
        a = ev["all"]
        out[name] = {x: a[x] for x in ("accuracy", "macro_f1", "kappa", "ece", "per_class_f1")}
        out[name]["absent_accuracy"] = ev["absent_epochs"]["accuracy"]
        out[name]["after_absent_accuracy"] = ev["after_absent"]["accuracy"]
        print(f"{name}: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} ece {a['ece']:.4f} "
              f"absent {ev['absent_epochs']['accuracy']:.4f} after-absent {ev['after_absent']['accuracy']:.4f}",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
