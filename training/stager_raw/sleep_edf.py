"""Minimal EDF/EDF+ reading for original Sleep-EDF recordings (numpy only, no pyedflib).

Signals are converted digital -> physical exactly as EDFlib does (float64):
    bitvalue = (phys_max - phys_min) / (dig_max - dig_min)
    offset   = phys_max / bitvalue - dig_max
    x        = bitvalue * (offset + digital)
Hypnogram files (EDF+ with one "EDF Annotations" signal) are parsed as TALs: "+onset\x15duration\x14text\x14\x00".
"""
import datetime
import os
import re

import numpy as np

# Stage text in Sleep-EDF hypnograms -> class index (W, N1, N2, N3, REM); S3 + S4 -> N3 (AASM); others -> -1.
STAGE_CLASSES = {
    "Sleep stage W": 0,
    "Sleep stage 1": 1,
    "Sleep stage 2": 2,
    "Sleep stage 3": 3,
    "Sleep stage 4": 3,
    "Sleep stage R": 4,
}
CLASSES = ["W", "N1", "N2", "N3", "REM"]
# Sleep-EDF label -> the label the stream processor gives the epoch channel (the card's input_signals order).
CHANNELS = [("EEG Fpz-Cz", "Fpz-Cz"), ("EEG Pz-Oz", "Pz-Oz"), ("EOG horizontal", "EOG")]
RATE_HZ = 100
EPOCH_SECONDS = 30
EPOCH_SAMPLES = RATE_HZ * EPOCH_SECONDS
CODE = re.compile(r"(S[CT]\d{4})", re.IGNORECASE)


class EdfError(ValueError):
    pass


def _field(raw, at, length):
    return raw[at:at + length].decode("ascii", errors="replace").strip()


class Edf:
    """Header and data records of one EDF/EDF+ file."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            raw = f.read()
        if len(raw) < 256:
            raise EdfError(f"{path}: {len(raw)} bytes, shorter than an EDF header")
        try:
            self.header_bytes = int(_field(raw, 184, 8))
            self.records = int(_field(raw, 236, 8))
            self.record_seconds = float(_field(raw, 244, 8))
            ns = int(_field(raw, 252, 4))
            date, time = _field(raw, 168, 8), _field(raw, 176, 8)
            d, m, y = (int(v) for v in date.split("."))
            hh, mm, ss = (int(v) for v in time.split("."))
            self.start = datetime.datetime(1900 + y if y >= 85 else 2000 + y, m, d, hh, mm, ss)

            def col(offset, width, conv):
                return [conv(_field(raw, 256 + ns * offset + i * width, width)) for i in range(ns)]

            self.labels = col(0, 16, str)
            self.units = col(96, 8, str)
            self.phys_min = col(104, 8, float)
            self.phys_max = col(112, 8, float)
            self.dig_min = col(120, 8, float)
            self.dig_max = col(128, 8, float)
            self.samples_per_record = col(216, 8, int)
        except (ValueError, IndexError) as e:
            raise EdfError(f"{path}: malformed EDF header ({e})") from e
        record_len = sum(self.samples_per_record)
        available = (len(raw) - self.header_bytes) // (2 * record_len)
        if self.records < 0 or self.records > available:
            self.records = available  # -1 (recording not closed) or a truncated file: use the complete records
        data = np.frombuffer(raw, dtype="<i2", offset=self.header_bytes, count=self.records * record_len)
        self.data = data.reshape(self.records, record_len)
        self.offsets = np.concatenate([[0], np.cumsum(self.samples_per_record)])

    def rate_hz(self, i):
        return self.samples_per_record[i] / self.record_seconds

    def digital(self, i):
        return self.data[:, self.offsets[i]:self.offsets[i + 1]].reshape(-1)

    def physical(self, i):
        bitvalue = (self.phys_max[i] - self.phys_min[i]) / (self.dig_max[i] - self.dig_min[i])
        offset = self.phys_max[i] / bitvalue - self.dig_max[i]
        x = bitvalue * (offset + self.digital(i).astype(np.float64))
        unit = self.units[i].lower()
        if unit in ("v",):
            x = x * 1e6
        elif unit in ("mv",):
            x = x * 1e3
        elif unit not in ("uv", "µv"):
            raise EdfError(f"{self.path}: signal {self.labels[i]} has unit '{self.units[i]}', expected uV")
        return x

    def annotations(self):
        """(onset_s, duration_s, text) of every TAL in the EDF Annotations signal(s)."""
        out = []
        for i, label in enumerate(self.labels):
            if label != "EDF Annotations":
                continue
            raw = self.digital(i).astype("<i2").tobytes()
            for tal in raw.split(b"\x00"):
                if not tal or tal[0:1] not in (b"+", b"-"):
                    continue
                parts = tal.split(b"\x14")
                head = parts[0].split(b"\x15")
                onset = float(head[0])
                duration = float(head[1]) if len(head) > 1 and head[1] else 0.0
                for text in parts[1:]:
                    if text:
                        out.append((onset, duration, text.decode("utf-8", errors="replace")))
        return out


def pair_files(folder):
    """[(code, psg_path, hypnogram_path)] for every recording code (e.g. SC4001) with both files in folder."""
    psg, hyp = {}, {}
    for name in sorted(os.listdir(folder)):
        if not name.lower().endswith(".edf"):
            continue
        m = CODE.search(name)
        if not m:
            continue
        code = m.group(1).upper()[:6]
        (hyp if "hypnogram" in name.lower() else psg)[code] = os.path.join(folder, name)
    missing = sorted(set(psg) ^ set(hyp))
    return [(c, psg[c], hyp[c]) for c in sorted(set(psg) & set(hyp))], missing


def subject_of(code):
    """Sleep-EDF code SC4ssN / ST7ssN: study + subject ss (both nights of a subject share it)."""
    return code[:5]


def load_night(psg_path, hyp_path, trim_wake_minutes=30):
    """(signals float32 [epochs, 3, 3000] in uV, labels int64 [epochs] (-1 = unscored)) of one night."""
    psg = Edf(psg_path)
    idx = []
    for sleep_edf_label, _ in CHANNELS:
        if sleep_edf_label not in psg.labels:
            raise EdfError(f"{psg_path}: no signal '{sleep_edf_label}' (has {psg.labels})")
        i = psg.labels.index(sleep_edf_label)
        if psg.rate_hz(i) != RATE_HZ:
            raise EdfError(f"{psg_path}: {sleep_edf_label} at {psg.rate_hz(i)} Hz, expected {RATE_HZ} Hz")
        idx.append(i)
    x = np.stack([psg.physical(i) for i in idx])
    n_epochs = x.shape[1] // EPOCH_SAMPLES
    hyp = Edf(hyp_path)
    shift = (hyp.start - psg.start).total_seconds()
    labels = np.full(n_epochs, -1, dtype=np.int64)
    for onset, duration, text in hyp.annotations():
        cls = STAGE_CLASSES.get(text, -1)
        first = int(round((onset + shift) / EPOCH_SECONDS))
        count = int(round(duration / EPOCH_SECONDS))
        lo, hi = max(first, 0), min(first + count, n_epochs)
        if hi > lo:
            labels[lo:hi] = cls
    sig = x[:, :n_epochs * EPOCH_SAMPLES].reshape(3, n_epochs, EPOCH_SAMPLES).transpose(1, 0, 2)
    sig = sig.astype(np.float32)
    sleep = np.nonzero(labels > 0)[0]
    if trim_wake_minutes > 0 and len(sleep):
        pad = trim_wake_minutes * 60 // EPOCH_SECONDS
        lo, hi = max(sleep[0] - pad, 0), min(sleep[-1] + pad + 1, n_epochs)
        sig, labels = sig[lo:hi], labels[lo:hi]
    return sig, labels
