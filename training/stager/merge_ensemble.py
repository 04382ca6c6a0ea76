"""Stager v3 ensemble: merge the members' per-fold CV dumps and final fits, then (optionally) export the ensemble as
stager-features-welch-gru-v3 (same graph inputs/outputs; ONNX, card, golden vectors, report-v3.json/md).

  /usr/bin/python3 training/stager/merge_ensemble.py --dumps /tmp/s3cv,/tmp/ens/m1,/tmp/ens/m2 \
      --finals /tmp/stager-v3-final.pkl,/tmp/ens/final-m1.pkl,/tmp/ens/final-m2.pkl [--no-export] [--command "..."]
The CV figures are eval_ensemble.py's (members averaged, ensemble temperature and chain choices on each fold's
inner-validation subjects); the v2 rows come from member 0's dumps (the shipped run's). The final ensemble's
temperature and chain choices are made the same way on the final fit's inner-validation subjects.
"""
import argparse
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import ensemble as EN  # noqa: E402
import eval_ensemble as EE  # noqa: E402
import export_seq as E  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402
import train_seq as T  # noqa: E402


def fold_row(info, ds):
    temps = [d["info"]["temperature"] for d in ds]
    return {**info, "window": ds[0]["info"]["window"], "hidden": ds[0]["info"]["hidden"],
            "temperature": float(np.mean(temps)), "member_temperatures": temps,
            "val_revised_kappa_by_exponent": info["val_revised_kappa"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=None)
    ap.add_argument("--dumps", required=True)
    ap.add_argument("--finals", required=True)
    ap.add_argument("--folds", type=int, default=5)
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
    fold_info = []
    for k in range(args.folds):
        ds = []
        for dump in args.dumps.split(","):
            with open(os.path.join(dump, f"fold{k}.pkl"), "rb") as f:
                ds.append(pickle.load(f))
        chain = ds[0]["chain"]
        vn = [by_name[r[0]] for r in ds[0]["val"]]
        tl = EE.fit_ens_temperature([[d["val"][i][1] for d in ds] for i in range(len(vn))], vn)
        tb = EE.fit_ens_temperature([[d["val"][i][3] for d in ds] for i in range(len(vn))], vn)

        def ens(part, i):
            return (EE.average([d[part][i][1] for d in ds], tl), ds[0][part][i][2],
                    EE.average([d[part][i][3] for d in ds], tb))
        info = EE.choose_chain(chain, [(vn[i], *ens("val", i)) for i in range(len(vn))])
        info.update({"members": len(ds), "ens_temperature": tl, "ens_back_temperature": tb,
                     "member_val_kappa": [d["info"].get("val_kappa") for d in ds],
                     "test_subjects": ds[0]["info"].get("test_subjects")})
        for i, r in enumerate(ds[0]["test"]):
            n = by_name[r[0]]
            p, pw, pb = ens("test", i)
            res["live"].append((n, *chain.live(p, pw, n.present)))
            res["revised"].append((n, *chain.revised(p, pb, pw, n.present)))
            w = chain.w
            chain.w = None
            res["live_without_hmm"].append((n, *chain.live(p, pw, n.present)))
            chain.w = w
        for name, post, pred in ds[0].get("v2", []):
            res["v2"].append((by_name[name], post, pred))
        fold_info.append(fold_row(info, ds))
        print(f"fold {k}: val kappa {info['val_kappa']:.4f} members {info['member_val_kappa']}", flush=True)
    rep = {"model": T.MODEL_ID, "folds": args.folds, "fold_info": fold_info, "subjects": len(subjects),
           "command": args.command, "members": len(args.dumps.split(","))}
    for name, r in res.items():
        if r:
            r.sort(key=lambda x: x[0].name)
            rep[name] = T.evaluate(r)
            a = rep[name]["all"]
            print(f"{name}: acc {a['accuracy']:.4f} mf1 {a['macro_f1']:.4f} kappa {a['kappa']:.4f} ece {a['ece']:.4f} "
                  f"absent {rep[name]['absent_epochs']['accuracy']:.4f} after-absent "
                  f"{rep[name]['after_absent']['accuracy']:.4f}", flush=True)
    fins = []
    for path in args.finals.split(","):
        with open(path, "rb") as f:
            fins.append(pickle.load(f))
    rep["seconds"] = float(sum(f.get("seconds", 0.0) for f in fins))
    if args.no_export:
        return
    members = []
    for fin in fins:
        m = S.SeqStager(np.zeros(MD.WIDTH), np.ones(MD.WIDTH), fin["window"], fin["hidden"])
        m.load_state_dict(fin["state"])
        m.eval()
        members.append(m)
    for m in members[1:]:
        assert torch.equal(m.mean, members[0].mean) and torch.equal(m.std, members[0].std), "standardisation differs"
    val_subj = V2.split_subjects({n.subject for n in nights}, 7, T.SEED + 100)[0]
    val = [n for n in nights if n.subject in val_subj]
    outs = [[(S.night_outputs(m, n.features, n.present), S.night_back(m, n.features, n.present)) for m in members]
            for n in val]
    tl = EE.fit_ens_temperature([[o[0][0] for o in row] for row in outs], val)
    tb = EE.fit_ens_temperature([[o[1] for o in row] for row in outs], val)
    model = EN.EnsembleStager(members, tl, tb)
    model.eval()
    chain = fins[0]["chain"]
    vitems = [(n, *model.night_outputs(n.features, n.present), model.night_back(n.features, n.present)) for n in val]
    choice = EE.choose_chain(chain, vitems)
    info = dict(fins[0]["info"])
    info.update(choice)
    info.update({"members": len(members), "ens_temperature": tl, "ens_back_temperature": tb,
                 "member_temperatures": [f["info"]["temperature"] for f in fins],
                 "member_back_temperatures": [f["info"]["back_temperature"] for f in fins],
                 "temperature": [f["info"]["temperature"] for f in fins],
                 "back_temperature": [f["info"]["back_temperature"] for f in fins]})
    print(f"final: ensemble temperature {tl} / {tb}, {choice}", flush=True)
    E.export_from(model, chain, info, nights, subjects, rep, args.out, args.report_dir)
    print("exported", flush=True)


if __name__ == "__main__":
    main()
