"""Loading the Sleep-EDF SC feature nights (read-only shared folder; see its README)."""
import os
import re

import numpy as np

CLASSES = ["W", "N1", "N2", "N3", "REM"]
NIGHT_RE = re.compile(r"^SC4(\d\d)(\d)\.npz$")


class Night:
    """One night: contiguous 30-s timeline. features (n,105) float32 with NaN rows where absent; stage int (-1 = unscored)."""

    def __init__(self, name, subject, features, present, stage, welch):
        self.name = name
        self.subject = subject
        self.features = features
        # welch (n,15) float32: rohnns relative Welch band powers, signal-major (Fpz-Cz, Pz-Oz, EOG) x
        # (delta, theta, alpha, sigma, beta); used only where the epoch has features (present)
        self.welch = welch
        self.present = present
        self.stage = stage

    def __len__(self):
        return len(self.stage)


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    for d in [here] + [os.path.dirname(here), os.path.dirname(os.path.dirname(here)),
                       os.path.dirname(os.path.dirname(os.path.dirname(here)))]:
        cand = os.path.join(os.path.dirname(d), "shared", "data", "sleep-edf-sc-features")
        if os.path.isdir(cand):
            return cand
    raise SystemExit("cannot find shared/data/sleep-edf-sc-features: pass --data")


def load_nights(folder):
    nights = []
    for fn in sorted(os.listdir(folder)):
        m = NIGHT_RE.match(fn)
        if not m:
            continue
        with np.load(os.path.join(folder, fn)) as z:
            feats = np.asarray(z["features"], dtype=np.float32)
            present = np.asarray(z["present"], dtype=bool)
            stage = np.asarray(z["stage"], dtype=np.int64)
            welch = np.asarray(z["welch_rel"], dtype=np.float32).reshape(len(stage), 15)
        if not np.all(np.isfinite(welch)):
            raise ValueError(f"{fn}: non-finite welch_rel")
        if feats.shape != (len(stage), 105):
            raise ValueError(f"{fn}: features shape {feats.shape}, expected ({len(stage)}, 105)")
        # a row counts as present only if all 105 values are finite (never use 'present' as a model input)
        usable = np.all(np.isfinite(feats), axis=1)
        if np.any(usable != present):
            raise ValueError(f"{fn}: 'present' disagrees with finite feature rows")
        nights.append(Night(fn[:-4], int(m.group(1)), feats, usable, stage, welch))
    if not nights:
        raise SystemExit(f"no SC4ssN.npz files in {folder}")
    return nights


def load_input_rows(folder=None):
    """The nights (default: the shared folder) with each epoch's model input row: its 105 features, then its 15
    welch_rel powers (used only where present)."""
    nights = load_nights(folder or default_dir())
    for n in nights:
        n.features = np.concatenate([n.features, n.welch], axis=1)
    return nights
