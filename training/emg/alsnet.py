"""ALSNet-style dilated 1-D CNN with the preprocessing inside the graph.

Input: raw needle EMG in µV at 23437.5 Hz, one window of WINDOW_RAW samples per row ([batch, WINDOW_RAW]).
In-graph front end (fixed weights, not trained): 97-tap Hamming FIR low-pass (cut-off 0.15 x Nyquist = 1758 Hz)
applied with stride 6 (= anti-aliased decimation to 3906.25 Hz, zero-padded at the window edges), then the window
mean is subtracted (removes amplifier DC offset) and the result divided by 100 µV.
Then (emg-alsnet-v2, see Body): four Conv1d layers (kernel 9; dilation 1, 2, 4, 8; 16, 32, 32, 32 filters), each
followed by ReLU and batch norm (ALSNet's order); receptive field 121 samples = 31 ms at 3906.25 Hz (one long
MUAP); global max and mean pooling over time plus four fixed window statistics, dense 32 + ReLU + batch norm,
dense 3 + softmax. The exported graph averages the softmax of an ensemble of such bodies (different seeds)
-> P(ALS), P(myopathy), P(normal).
"""
import numpy as np
import scipy.signal
import torch
import torch.nn as nn
import torch.nn.functional as F

RATE_HZ = 23437.5
DECIMATION = 6
WINDOW_DECIMATED = 3906                      # 0.99994 s at 3906.25 Hz
WINDOW_RAW = WINDOW_DECIMATED * DECIMATION   # 23436 raw samples
FIR_TAPS = 97
FIR_CUTOFF = 0.9 / DECIMATION                # fraction of the raw Nyquist frequency
SCALE_UV = 100.0


def fir_taps():
    return scipy.signal.firwin(FIR_TAPS, FIR_CUTOFF, window="hamming").astype(np.float32)


class FrontEnd(nn.Module):
    """Anti-aliased decimation by 6 (strided FIR convolution); no trainable weights."""

    def __init__(self):
        super().__init__()
        self.register_buffer("fir", torch.from_numpy(fir_taps()).view(1, 1, -1))

    def forward(self, raw):                   # [B, N] µV -> [B, 1, N / 6]
        return F.conv1d(raw.unsqueeze(1), self.fir, stride=DECIMATION, padding=(FIR_TAPS - 1) // 2)


def normalise(x):                             # [B, 1, T] decimated µV -> centred, in units of 100 µV
    return (x - x.mean(dim=2, keepdim=True)) / SCALE_UV


class Body(nn.Module):
    """The trainable ALSNet part, on normalised decimated windows [B, 1, T]; returns logits [B, 3].

    Dilated Conv1d -> ReLU -> BatchNorm layers (one per entry of `channels`/`dilations`), then global pooling over
    time: max (ALSNet), plus the mean when pool="maxavg"; `stats` adds four fixed summary statistics of the input
    window (log mean square, log peak, log mean square of the first difference, log mean |x|: amplitude and
    sharpness, which the max-pooled filters see only through their bias); `coarse` > 0 adds that many dilated conv
    layers after a stride-4 max pooling (a longer view: discharge rhythm over ~0.1 s), pooled max + mean. Then
    dense + ReLU + BatchNorm, dense 3.
    """

    def __init__(self, channels=(16, 32, 32), dilations=(1, 2, 4), k=9, dense=32, classes=3, pool="max",
                 stats=False, coarse=0):
        super().__init__()
        if len(channels) != len(dilations):
            raise ValueError("one dilation per conv layer")
        layers, c = [], 1
        for co, di in zip(channels, dilations):
            layers += [nn.Conv1d(c, co, k, dilation=di), nn.ReLU(), nn.BatchNorm1d(co)]
            c = co
        self.features = nn.Sequential(*layers)
        self.pool, self.stats = pool, stats
        width = c * (2 if pool == "maxavg" else 1) + (4 if stats else 0)
        self.coarse = None
        if coarse:
            layers = [nn.MaxPool1d(4)]
            for j in range(coarse):
                layers += [nn.Conv1d(c if j == 0 else 32, 32, k, dilation=2 ** j), nn.ReLU(), nn.BatchNorm1d(32)]
            self.coarse = nn.Sequential(*layers)
            width += 64
        self.head = nn.Sequential(nn.Linear(width, dense), nn.ReLU(), nn.BatchNorm1d(dense), nn.Linear(dense, classes))

    def forward(self, x):
        h = self.features(x)
        z = [torch.amax(h, dim=2)]
        if self.pool == "maxavg":
            z.append(h.mean(dim=2))
        if self.stats:
            d = x[:, :, 1:] - x[:, :, :-1]
            z += [torch.log(x.pow(2).mean(dim=2) + 1e-4), torch.log(torch.amax(x.abs(), dim=2) + 1e-3),
                  torch.log(d.pow(2).mean(dim=2) + 1e-6), torch.log(x.abs().mean(dim=2) + 1e-3)]
        if self.coarse is not None:
            g = self.coarse(h)
            z += [torch.amax(g, dim=2), g.mean(dim=2)]
        return self.head(torch.cat(z, dim=1))


class Ensemble(nn.Module):
    """Mean of the softmax outputs of several bodies (same input); used when more than one seed is trained."""

    def __init__(self, bodies):
        super().__init__()
        self.bodies = nn.ModuleList(bodies)

    def forward(self, x):
        return torch.stack([torch.softmax(b(x), dim=1) for b in self.bodies]).mean(dim=0)


class Exported(nn.Module):
    """What goes into the ONNX file: raw µV windows in, class probabilities (the ensemble mean) out."""

    def __init__(self, bodies):
        super().__init__()
        self.front = FrontEnd()
        self.ensemble = Ensemble(bodies)

    def forward(self, emg):
        return self.ensemble(normalise(self.front(emg)))
