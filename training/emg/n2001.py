"""Reading the EMGLAB N2001 needle-EMG records (PhysioNet WFDB, format 16, signal files plain or .xz).

Physical value = (digital - baseline) / gain, computed in float64 and rounded once to float32, exactly like the
Java side (EmgEvaluation callers and the inference tests) does it.
"""
import lzma
import os
import re
from dataclasses import dataclass

import numpy as np

CLASSES = ("ALS", "myopathy", "normal")
_LETTER = {"A": "ALS", "M": "myopathy", "C": "normal"}
_NAME = re.compile(r"^N2001([AMC])(\d\d)")


@dataclass
class Record:
    name: str
    subject: str          # e.g. "A01"
    label: str            # one of CLASSES
    rate_hz: float
    samples: np.ndarray   # float32 µV


def label_of(name, comments=()):
    """Class from the record name (N2001<letter><subject>...), cross-checked with the #diagnosis comment."""
    m = _NAME.match(name)
    if not m:
        raise ValueError(f"record {name}: name does not start with N2001<A|M|C><nn>")
    label = _LETTER[m.group(1)]
    for c in comments:
        if c.lower().startswith("diagnosis:"):
            d = c.split(":", 1)[1].strip().lower()
            implied = "normal" if ("control" in d or "healty" in d or "healthy" in d) else (
                "ALS" if "als" in d.split() else "myopathy")
            if implied != label:
                raise ValueError(f"record {name}: name says {label} but #diagnosis says '{d}'")
    return label, m.group(1) + m.group(2)


def read_record(header_path):
    directory = os.path.dirname(header_path)
    with open(header_path, "r", encoding="ascii") as f:
        lines = [ln.strip() for ln in f if ln.strip()]
    comments = [ln[1:].strip() for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if not ln.startswith("#")]
    name, nsig, fs, nsamp = body[0].split()[:4]
    if int(nsig) != 1:
        raise ValueError(f"{header_path}: expected 1 signal, found {nsig}")
    fields = body[1].split()
    fname, fmt = fields[0], fields[1]
    fmt_code, _, offset = fmt.partition("+")
    if fmt_code != "16":
        raise ValueError(f"{header_path}: signal format {fmt_code}, only 16 is supported")
    gain_field = fields[2] if len(fields) > 2 else "200"
    gm = re.match(r"^([0-9.eE+-]+)(?:\((-?\d+)\))?(?:/(\S+))?$", gain_field)
    gain = float(gm.group(1)) or 200.0
    baseline = int(gm.group(2)) if gm.group(2) else 0
    path = os.path.join(directory, fname)
    if os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    else:
        with lzma.open(path + ".xz", "rb") as f:
            raw = f.read()
    raw = raw[int(offset or 0):]
    n = int(nsamp)
    if len(raw) < 2 * n:
        raise ValueError(f"{path}: {len(raw) // 2} samples, header says {n}")
    digital = np.frombuffer(raw[:2 * n], dtype="<i2").astype(np.float64)
    samples = ((digital - baseline) / gain).astype(np.float32)
    label, subject = label_of(name, comments)
    return Record(name, subject, label, float(fs), samples)


def read_directory(directory):
    headers = sorted(f for f in os.listdir(directory) if f.endswith(".hea"))
    return [read_record(os.path.join(directory, h)) for h in headers]
