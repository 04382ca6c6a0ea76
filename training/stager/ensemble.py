"""Stager v3 ensemble: N causal GRUs (same inputs, standardisation and window; different seeds) whose calibrated
probabilities are averaged INSIDE one graph, so the graph's inputs/outputs, the per-bed state and the Java side stay
those of a single SeqStager. The Welch-only head and the standardisation are member 0's (identical statistics in
every member: same split). The re-score graph averages the members' bidirectional outputs the same way.
An optional ensemble temperature re-tempers the mean, softmax(log(mean) / T); at T = 1 the mean itself is output."""
import numpy as np
import torch
from torch import nn

import sequence as S


class EnsembleStager(nn.Module):
    def __init__(self, members, temperature=1.0, back_temperature=1.0):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.window = members[0].window
        self.hidden = members[0].gru.hidden_size
        self.temperature = float(temperature)
        self.back_temperature = float(back_temperature)

    @staticmethod
    def _temper(p, temperature):
        if abs(temperature - 1.0) < 1e-6:
            return p
        return torch.softmax(torch.log(torch.clamp(p, min=1e-12)) * (1.0 / temperature), dim=1)

    def forward(self, features, welch, past):
        m0 = self.members[0]
        z = m0.standardised(torch.cat([features, welch], dim=1))
        seq = torch.cat([past, z.unsqueeze(1)], dim=1)
        ps = []
        for m in self.members:
            out, _ = m.gru(seq)
            ps.append(torch.softmax(m.head(out[:, -1]) * m.inv_temperature, dim=1))
        p = self._temper(torch.stack(ps).mean(dim=0), self.temperature)
        pw = torch.softmax(m0.welch_logits(z) * m0.inv_temperature_welch, dim=1)
        return p, z, pw

    def revised(self, window):
        ps = []
        for m in self.members:
            out, _ = m.bigru(window)
            ps.append(torch.softmax(m.head_bi(out[:, self.window - 1]) * m.inv_temperature_bi, dim=1))
        return self._temper(torch.stack(ps).mean(dim=0), self.back_temperature)

    def night_outputs(self, features, present):
        """As S.night_outputs: graph probabilities (n,5) float32 (zeros where absent), Welch-only probabilities."""
        outs = [S.night_outputs(m, features, present) for m in self.members]
        return self._mean_np([p for p, _ in outs], present, self.temperature), outs[0][1]

    def night_back(self, features, present):
        return self._mean_np([S.night_back(m, features, present) for m in self.members], present,
                             self.back_temperature)

    def _mean_np(self, probs, present, temperature):
        with torch.no_grad():
            p = torch.from_numpy(np.stack(probs)).mean(dim=0)
            out = self._temper(p, temperature).numpy().astype(np.float32)
        out[~present] = 0.0
        return out
