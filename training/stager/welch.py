"""scipy reference of the live relative-Welch input (inference RelativeWelch.java + CausalBandFilter.java) and the
synthetic epochs that check the Java port against it (inference/src/test/resources/stager/synthetic-welch.json).

/usr/bin/python3 training/stager/welch.py      # writes the synthetic file, prints the Java-vs-scipy recipe checks

Recipe: per bed a causal 4th-order Butterworth band-pass (EEG 0.5-30 Hz, EOG 0.5-15 Hz; at 100 Hz it is also the
50 Hz notch: its low-pass zeros sit at Nyquist = 50 Hz), state carried across consecutive epochs, started at
sosfilt_zi * first sample; per 30-s epoch scipy.signal.welch(hamming, 400, 200, 400, constant, density, median);
band power = np.trapz of the PSD over the closed band [lo, hi] (rohnns' BandPowerEncoder rule); relative = band /
sum of the five.
"""
import json
import os

import numpy as np
from scipy import signal

FS = 100.0
BANDS = [(0.5, 4.0), (4.0, 8.0), (8.0, 12.0), (12.0, 16.0), (16.0, 30.0)]
EEG_SOS = signal.butter(4, [0.5, 30.0], btype="bandpass", fs=FS, output="sos")
EOG_SOS = signal.butter(4, [0.5, 15.0], btype="bandpass", fs=FS, output="sos")
SOS = [EEG_SOS, EEG_SOS, EOG_SOS]


def relative(x, closed=True, trapezoid=True):
    f, p = signal.welch(x, fs=FS, window="hamming", nperseg=400, noverlap=200, nfft=400, detrend="constant",
                        scaling="density", average="median")
    out = []
    for lo, hi in BANDS:
        m = (f >= lo) & (f <= hi) if closed else (f >= lo) & (f < hi)
        out.append(np.trapz(p[m], f[m]) if trapezoid else p[m].sum())
    out = np.array(out)
    return out / out.sum()


class Bed:
    """Per-bed causal filter state, as RelativeWelch.State."""

    def __init__(self):
        self.z = None
        self.last = -1

    def epoch(self, signals, index):
        if self.z is None or index != self.last + 1:
            self.z = [signal.sosfilt_zi(s) * x[0] for s, x in zip(SOS, signals)]
        rows = []
        for c in range(3):
            y, self.z[c] = signal.sosfilt(SOS[c], signals[c], zi=self.z[c])
            rows.append(relative(y))
        self.last = index
        return np.concatenate(rows)


def synthetic(seed, n_epochs):
    """Integer-valued µV signals (3, n_epochs*3000): sinusoids in every band, a DC offset, a 50 Hz component
    (alternating sign at 100 Hz) and LCG noise; amplitudes change from epoch to epoch."""
    t = np.arange(n_epochs * 3000) / FS
    rng = np.random.RandomState(seed)
    out = []
    for c in range(3):
        x = rng.uniform(-40, 40) * np.ones_like(t)
        for f in (1.0, 2.5, 6.0, 10.0, 13.5, 20.0, 27.0):
            amp = rng.uniform(0, 30, size=n_epochs).repeat(3000)
            x += amp * np.sin(2 * np.pi * f * t + rng.uniform(0, 6.28))
        x += rng.uniform(0, 20) * np.cos(np.pi * np.arange(len(t)))
        x += rng.normal(0, 5, size=len(t))
        out.append(np.round(x).astype(int))
    return np.array(out)


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cases = []
    for seed, indices in ((1, [0, 1, 2, 3, 5]), (2, [7, 8, 9])):
        sig = synthetic(seed, len(indices))
        bed = Bed()
        epochs = []
        for k, idx in enumerate(indices):
            x = sig[:, k * 3000:(k + 1) * 3000].astype(np.float64)
            epochs.append({"index": idx, "samples": x.astype(int).tolist(), "relative": bed.epoch(x, idx).tolist()})
        cases.append({"seed": seed, "epochs": epochs})
    # convention sensitivity on one filtered signal: closed/trapezoid (used) vs half-open/sum
    x = signal.sosfilt(EEG_SOS, synthetic(3, 1)[0].astype(np.float64))
    a, b = relative(x), relative(x, closed=False, trapezoid=False)
    print("closed+trapz vs half-open+sum, max |diff| on a synthetic epoch:", float(np.abs(a - b).max()))
    print("EEG filter |H(50 Hz)|:", float(abs(signal.sosfreqz(EEG_SOS, worN=[50.0], fs=FS)[1][0])),
          "EOG:", float(abs(signal.sosfreqz(EOG_SOS, worN=[50.0], fs=FS)[1][0])))
    # causal (carried state) vs zero-phase filtering of the same 1/f-like night: how much relative powers move
    rng = np.random.RandomState(4)
    n_ep = 200
    white = rng.normal(size=n_ep * 3000)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(len(white), 1 / FS)
    spec[1:] /= np.sqrt(f[1:])
    pink = np.fft.irfft(spec, n=len(white)) * 50
    causal = signal.sosfilt(EEG_SOS, pink, zi=signal.sosfilt_zi(EEG_SOS) * pink[0])[0]
    zero_phase = signal.sosfiltfilt(EEG_SOS, pink)
    diffs = [np.abs(relative(causal[k * 3000:(k + 1) * 3000]) - relative(zero_phase[k * 3000:(k + 1) * 3000])).max()
             for k in range(1, n_ep)]
    print("causal vs zero-phase Butterworth on 1/f noise, max |diff| of relative power per epoch: median %.4f, "
          "p95 %.4f" % (np.median(diffs), np.percentile(diffs, 95)))
    out = os.path.join(repo, "inference", "src", "test", "resources", "stager", "synthetic-welch.json")
    with open(out, "w") as f:
        json.dump({"tolerance": 1e-9, "eeg_sos": EEG_SOS.tolist(), "eog_sos": EOG_SOS.tolist(),
                   "eeg_zi": signal.sosfilt_zi(EEG_SOS).tolist(), "eog_zi": signal.sosfilt_zi(EOG_SOS).tolist(),
                   "cases": cases}, f, separators=(",", ":"))
    print("wrote", out)


if __name__ == "__main__":
    main()
