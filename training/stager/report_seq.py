"""report-v3.md from report-v3.json (stager v3 CV figures beside v2's on the same folds)."""
import json
import sys

CLASSES = ["W", "N1", "N2", "N3", "REM"]


def row(name, f):
    return (f"| {name} | {f['epochs']} | {f['accuracy']:.4f} | {f['macro_f1']:.4f} | {f['kappa']:.4f} | "
            f"{f['ece']:.4f} | {' / '.join(f'{v:.3f}' for v in f['per_class_f1'])} |")


def markdown(rep):
    model = rep["model"]
    L = [f"# Stager v3 ({model}): evaluation", "",
         f"Protocol: {rep['folds']}-fold CV grouped by subject ({rep['live']['nights']} nights, {rep['subjects']} "
         "subjects; the folds and inner validation splits of train.py), every expert-labelled epoch scored, "
         "including the 11 % without features (UNSCORED counts as an error). v2 = `stager-features-welch-hmm-v2` "
         "re-fitted on the same folds in the same run. ECE: 15 equal-width bins of the top posterior probability.", ""]
    heads = [("live", "v3 live (causal)"), ("live_without_hmm", "v3 live, no HMM on top"),
             ("revised", "v3 revised (morning re-score, non-causal)"), ("v2", "v2 live (shipped MLP + HMM)")]
    for sub, title in (("all", "All expert-labelled epochs"), ("near_transition", "Within 1.5 min of a transition"),
                       ("absent_epochs", "Absent-feature epochs"),
                       ("after_absent", "Present epochs right after an absent epoch")):
        L += [f"## {title}", "", "| model | epochs | accuracy | macro-F1 | kappa | ECE | F1 W/N1/N2/N3/REM |",
              "|---|---|---|---|---|---|---|"]
        for key, name in heads:
            if key in rep:
                L.append(row(name, rep[key][sub]))
        L.append("")
    c = rep["live"]["all"]
    L += ["## Targets", "",
          f"- live kappa >= 0.77: {c['kappa']:.4f} " + ("met" if c["kappa"] >= 0.77 else "NOT met"),
          f"- live accuracy >= 0.83: {c['accuracy']:.4f} " + ("met" if c["accuracy"] >= 0.83 else "NOT met"),
          f"- live macro-F1 >= 0.77: {c['macro_f1']:.4f} " + ("met" if c["macro_f1"] >= 0.77 else "NOT met"),
          f"- live ECE <= 0.03: {c['ece']:.4f} " + ("met" if c["ece"] <= 0.03 else "NOT met"),
          f"- revised kappa >= 0.80: {rep['revised']['all']['kappa']:.4f} "
          + ("met" if rep["revised"]["all"]["kappa"] >= 0.80 else "NOT met"), "",
          "## Confusion, v3 live (rows expert W,N1,N2,N3,REM; cols predicted; last col UNSCORED)", "", "```"]
    for r, u in zip(c["confusion"], c["unscored"]):
        L.append(" ".join(f"{v:7d}" for v in r) + f" {u:7d}")
    L += ["```", "", "## Reliability, v3 live (all epochs, top label)", "",
          "| confidence bin | epochs | mean confidence | accuracy |", "|---|---|---|---|"]
    for b in c["reliability"]:
        L.append(f"| {b['bin'][0]:.3f}-{b['bin'][1]:.3f} | {b['epochs']} | {b['mean_confidence']:.3f} | "
                 f"{b['accuracy']:.3f} |")
    L += ["", "## Per night (kappa)", "", "| model | min | p10 | p25 | median | p75 | max |", "|---|---|---|---|---|---|---|"]
    for key, name in heads:
        if key in rep:
            k = rep[key]["per_night_kappa"]
            L.append(f"| {name} | {k['min']:.3f} | {k['p10']:.3f} | {k['p25']:.3f} | {k['median']:.3f} | "
                     f"{k['p75']:.3f} | {k['max']:.3f} |")
    L += ["", "Per-night rows (accuracy, kappa, confusion) of every model: `report-v3.json` (`<model>.per_night`).", "",
          "## Choices made on held-out subjects inside each training fold", "",
          "| fold | window K | GRU width | temperature | HMM exponent (None = no HMM on top) | Welch exponent | "
          "revised mix / exponent | inner-val kappa live by HMM exponent | inner-val revised kappa by mix/exponent |",
          "|---|---|---|---|---|---|---|---|---|"]
    for i, f in enumerate(rep["fold_info"]):
        L.append(f"| {i} | {f['window']} | {f['hidden']} | {f['temperature']:.2f} | {f['hmm_exponent']} | "
                 f"{f['welch_exponent']} | {f.get('revised_mix')} / {f['revised_exponent']} | "
                 + ", ".join(f"{k}: {v:.3f}" for k, v in f["val_kappa_by_hmm_exponent"].items()) + " | "
                 + ", ".join(f"{k}: {v:.3f}" for k, v in f["val_revised_kappa_by_exponent"].items()) + " |")
    if any(len(f.get("sweep", [])) > 1 for f in rep["fold_info"]):
        L += ["", "Sweep (inner-validation kappa per fold and candidate):", ""]
        for i, f in enumerate(rep["fold_info"]):
            L.append(f"- fold {i}: " + "; ".join(f"K={s['window']} h={s['hidden']}: {s['val_kappa']:.4f}"
                                                 for s in f["sweep"]))
    L += ["", f"Command: `{rep.get('command', '')}`; run time {rep['seconds']:.0f} s (2 torch threads, shared "
          "2-core machine).", ""]
    return "\n".join(L)


if __name__ == "__main__":
    print(markdown(json.load(open(sys.argv[1]))))
