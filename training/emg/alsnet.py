"""ALSNet-style dilated 1-D CNN with the preprocessing inside the graph.

Input: raw needle EMG in µV at 23437.5 Hz, one window of WINDOW_RAW samples per row ([batch, WINDOW_RAW]).
In-graph front end (fixed weights, not trained): 97-tap Hamming FIR low-pass (cut-off 0.15 x Nyquist = 1758 Hz)
applied with stride 6 (= anti-aliased decimation to 3906.25 Hz, zero-padded at the window edges), then the window
mean is subtracted (removes amplifier DC offset) and the result divided by 100 µV.
Then: three Conv1d layers (kernel 9; dilation 1, 2, 4; 16, 32, 32 filters; stride 1 by default), each followed by
ReLU and batch norm (ALSNet's order); receptive field 57 samples = 14.6 ms at 3906.25 Hz (one MUAP);
global max pooling over time, dense 32 + ReLU + batch norm, dense 3 + softmax -> P(ALS), P(myopathy), P(normal).
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
    """The trainable ALSNet part, on normalised decimated windows [B, 1, T]; returns logits [B, 3]."""

    def __init__(self, c1=16, c2=32, c3=32, k=9, dense=32, classes=3, stride=1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, c1, k, stride=stride, dilation=1), nn.ReLU(), nn.BatchNorm1d(c1),
            nn.Conv1d(c1, c2, k, dilation=2), nn.ReLU(), nn.BatchNorm1d(c2),
            nn.Conv1d(c2, c3, k, dilation=4), nn.ReLU(), nn.BatchNorm1d(c3))
        self.head = nn.Sequential(nn.Linear(c3, dense), nn.ReLU(), nn.BatchNorm1d(dense), nn.Linear(dense, classes))

    def forward(self, x):
        return self.head(torch.amax(self.features(x), dim=2))


class Exported(nn.Module):
    """What goes into the ONNX file: raw µV windows in, class probabilities out."""

    def __init__(self, body):
        super().__init__()
        self.front = FrontEnd()
        self.body = body

    def forward(self, emg):
        return torch.softmax(self.body(normalise(self.front(emg))), dim=1)
