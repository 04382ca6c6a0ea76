"""Stager v3: a causal GRU over the past K present epochs (absent epochs are left out of its input), a Welch-only
head for absent epochs, and the causal chain / morning re-score over their outputs (numpy float64; mirrored by
SequenceStager.java and MorningRescore.java operation by operation).

Leak rule: the GRU's input sequence is the standardised rows of the night's present epochs only, in order, left-padded
with zero rows at the night's start. Nothing in it (no mask, no gap length, no running statistic) changes when an
absent epoch is inserted or removed; the chains below advance only at present epochs, and an absent epoch's own
prediction is a side branch that no later epoch reads.
"""
import numpy as np
import torch
from torch import nn

import model as MD

PROB_FLOOR = 1e-6


class SeqStager(nn.Module):
    """Graph: features (b,105), welch (b,15), past (b,K-1,W) -> probabilities (b,5), standardised (b,W),
    welch_probabilities (b,5). `past` holds the standardised rows of the bed's K-1 previous present epochs (oldest
    first, zero rows before the night's first present epoch); `standardised` is this epoch's row, to append."""

    def __init__(self, mean, std, window, hidden, dropout=0.2):
        super().__init__()
        self.register_buffer("kept", torch.tensor(MD.KEPT, dtype=torch.long))
        self.register_buffer("logmask", torch.tensor(MD.LOG_MASK, dtype=torch.bool))
        self.register_buffer("welchmask", torch.tensor(MD.WELCH_MASK, dtype=torch.bool))
        self.register_buffer("welchcols", torch.tensor(np.nonzero(MD.WELCH_MASK)[0], dtype=torch.long))
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.register_buffer("inv_temperature", torch.tensor(1.0, dtype=torch.float32))
        self.register_buffer("inv_temperature_welch", torch.tensor(1.0, dtype=torch.float32))
        self.window = window
        self.drop = nn.Dropout(dropout)
        self.gru = nn.GRU(MD.WIDTH, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 5)
        self.welch_head = nn.Linear(int(MD.WELCH_MASK.sum()), 5)
        # the morning re-score's model: a bidirectional GRU over a centred window of 2K-1 present epochs (the epoch,
        # its K-1 previous and K-1 next ones; exported as its own graph, never used live)
        self.bigru = nn.GRU(MD.WIDTH, hidden, batch_first=True, bidirectional=True)
        self.head_bi = nn.Linear(2 * hidden, 5)
        self.register_buffer("inv_temperature_bi", torch.tensor(1.0, dtype=torch.float32))

    def standardised(self, x):
        v = torch.index_select(x, 1, self.kept)
        v = torch.where(self.logmask, torch.sign(v) * torch.log(torch.abs(v) + 1.0), v)
        v = torch.where(self.welchmask, torch.log(torch.abs(v) + MD.WELCH_EPS), v)
        return torch.clamp((v - self.mean) / self.std, -MD.CLIP, MD.CLIP)

    def seq_logits(self, seq):
        """(b, L, W) standardised rows -> (b, L, 5) logits at every position (GRU from a zero state)."""
        out, _ = self.gru(self.drop(seq))
        return self.head(out)

    def bi_logits(self, seq):
        """(b, L, W) rows in time order -> (b, L, 5) logits of the bidirectional GRU at every position."""
        out, _ = self.bigru(self.drop(seq))
        return self.head_bi(out)

    def welch_logits(self, z):
        return self.welch_head(torch.index_select(z, 1, self.welchcols))

    def forward(self, features, welch, past):
        z = self.standardised(torch.cat([features, welch], dim=1))
        out, _ = self.gru(torch.cat([past, z.unsqueeze(1)], dim=1))
        p = torch.softmax(self.head(out[:, -1]) * self.inv_temperature, dim=1)
        pw = torch.softmax(self.welch_logits(z) * self.inv_temperature_welch, dim=1)
        return p, z, pw


def padded(z, window):
    """Present rows (m, W) float32 -> (m + K - 1, W) with K-1 zero rows in front."""
    return np.concatenate([np.zeros((window - 1, z.shape[1]), dtype=np.float32), z.astype(np.float32)])


def both_padded(z, window):
    """Present rows (m, W) -> (m + 2K - 2, W) with K-1 zero rows on both sides."""
    pad = np.zeros((window - 1, z.shape[1]), dtype=np.float32)
    return np.concatenate([pad, z.astype(np.float32), pad])


def standardise(model, rows):
    with torch.no_grad():
        return model.standardised(torch.from_numpy(rows.astype(np.float32))).numpy()


def train_gru(seqs, mean, std, window, hidden, seed, epochs=16, batch=64, lr=2e-3, back=True):
    """seqs: list of (z present rows (m,W) float32, labels (m,) with -1 = unlabelled). Random crops of length K from
    the padded sequence, cross-entropy at every labelled position (position j sees a window of j+1 rows)."""
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    model = SeqStager(mean, std, window, hidden)
    padz = [padded(z, window) for z, _ in seqs]
    pady = [np.concatenate([np.full(window - 1, -1), y]) for _, y in seqs]
    bpadz = [both_padded(z, window) for z, _ in seqs]
    bpady = [np.concatenate([np.full(window - 1, -1), y, np.full(window - 1, -1)]) for _, y in seqs]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    for _ in range(epochs):
        model.train()
        xs, ys = [], []
        for z, y in zip(padz, pady):
            n = len(y)
            for s in range(rng.randint(window), n - window + 1, window):
                xs.append(z[s:s + window])
                ys.append(y[s:s + window])
        x = torch.from_numpy(np.stack(xs))
        yt = torch.from_numpy(np.stack(ys).astype(np.int64))
        perm = torch.from_numpy(rng.permutation(len(x)))
        if back:  # crops of 2K-1 rows from sequences padded at both ends (the re-score's centred windows)
            span = 2 * window - 1
            bxs, bys = [], []
            for z, y in zip(bpadz, bpady):
                for s in range(rng.randint(span), len(y) - span + 1, span):
                    bxs.append(z[s:s + span])
                    bys.append(y[s:s + span])
            bx = torch.from_numpy(np.stack(bxs))
            byt = torch.from_numpy(np.stack(bys).astype(np.int64))
            bperm = torch.from_numpy(rng.permutation(len(bx)))
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model.seq_logits(x[idx]).reshape(-1, 5), yt[idx].reshape(-1))
            loss.backward()
            opt.step()
        if back:
            for i in range(0, len(bperm), batch):
                idx = bperm[i:i + batch]
                opt.zero_grad()
                loss = loss_fn(model.bi_logits(bx[idx]).reshape(-1, 5), byt[idx].reshape(-1))
                loss.backward()
                opt.step()
        sched.step()
    model.eval()
    return model


def train_welch_head(model, z, y, seed, iters=300):
    """The Welch-only head (multinomial logistic regression on the standardised Welch columns), rest frozen."""
    torch.manual_seed(seed)
    zt = torch.from_numpy(z.astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    opt = torch.optim.Adam(model.welch_head.parameters(), lr=0.05)
    for _ in range(iters):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model.welch_logits(zt), yt)
        loss.backward()
        opt.step()


def window_logits(model, z):
    """Logits (m,5) of every present epoch of a night: GRU over exactly its K-row window (as the graph runs it)."""
    pz = torch.from_numpy(padded(z, model.window))
    win = pz.unfold(0, model.window, 1).permute(0, 2, 1)  # (m, K, W)
    with torch.no_grad():
        out, _ = model.gru(win.contiguous())
        return model.head(out[:, -1]).double()


def bi_window_logits(model, z):
    """Logits (m,5) of the bidirectional GRU at the centre of each present epoch's window of 2K-1 present rows
    (its K-1 previous, itself, its K-1 next; zero rows beyond the stretch)."""
    k = model.window
    pz = torch.from_numpy(both_padded(z, k))
    win = pz.unfold(0, 2 * k - 1, 1).permute(0, 2, 1)  # (m, 2K-1, W)
    with torch.no_grad():
        out, _ = model.bigru(win.contiguous())
        return model.head_bi(out[:, k - 1]).double()


def fit_absent_temperature(chain, items):
    """Temperature of the absent-epoch branch on held-out nights: items = (night, p, pw); minimum NLL over the
    labelled absent epochs that get a prediction (grid 1.0-4.0). Changes no stage, only the confidence."""
    best = (float("inf"), 1.0)
    for tau in np.arange(1.0, 4.01, 0.25):
        chain.absent_temperature = float(tau)
        nll = []
        for n, p, pw in items:
            post, pred = chain.live(p, pw, n.present)
            ab = (~n.present) & (pred >= 0) & (n.stage >= 0)
            nll.extend(-np.log(np.maximum(post[ab, n.stage[ab]], 1e-12)))
        if nll and np.mean(nll) < best[0]:
            best = (float(np.mean(nll)), float(tau))
    chain.absent_temperature = best[1]
    return best[1]


def fit_temperature(logits, y):
    yt = torch.from_numpy(y.astype(np.int64))
    best = (float("inf"), 1.0)
    for temp in np.arange(0.5, 3.01, 0.05):
        nll = nn.functional.cross_entropy(logits / temp, yt).item()
        if nll < best[0]:
            best = (nll, float(temp))
    return best[1]


def night_back(model, features, present):
    """The re-score model's calibrated probabilities (n,5) float32 (zeros where absent), as Java computes them."""
    n = len(present)
    pb = np.zeros((n, 5), dtype=np.float32)
    if present.any():
        z = standardise(model, np.nan_to_num(features[present].astype(np.float32), nan=0.0))
        lg = bi_window_logits(model, z).float()
        with torch.no_grad():
            pb[present] = torch.softmax(lg * model.inv_temperature_bi, dim=1).numpy()
    return pb


def night_outputs(model, features, present):
    """Exactly as Java computes them: graph probabilities (n,5) float32 (zeros where absent) and Welch-only
    probabilities (n,5) float32 for every epoch. features: (n,120) rows (NaN features where absent)."""
    n = len(present)
    p = np.zeros((n, 5), dtype=np.float32)
    rows = np.nan_to_num(features.astype(np.float32), nan=0.0)
    z = standardise(model, rows)
    with torch.no_grad():
        pw = torch.softmax(model.welch_logits(torch.from_numpy(z)) * model.inv_temperature_welch, dim=1).numpy()
        if present.any():
            lg = window_logits(model, z[present]).float()
            p[present] = torch.softmax(lg * model.inv_temperature, dim=1).numpy()
    return p, pw


class Chain:
    """The causal chain over a night (live stages) and the morning re-score. Parameters from the card."""

    def __init__(self, transition, initial, class_prior, welch_prior, exponent, welch_exponent, revised_exponent,
                 revised_mix=0.0):
        self.t = np.asarray(transition, dtype=np.float64)
        self.init = np.asarray(initial, dtype=np.float64)
        self.prior = np.asarray(class_prior, dtype=np.float64)
        self.wprior = np.asarray(welch_prior, dtype=np.float64)
        self.w = exponent  # None or 0: the sequence model's probabilities are the posterior (no HMM on top)
        self.v = float(welch_exponent)
        self.wr = float(revised_exponent)
        self.mix = float(revised_mix)  # weight of the causal probabilities in the re-score (0 = bidirectional alone)
        self.absent_temperature = 1.0  # calibrates the absent-epoch branch (fitted on held-out subjects)

    def predict(self, alpha):
        if alpha is None:
            return self.init.copy()
        prior = np.zeros(5)
        for a in range(5):
            prior += alpha[a] * self.t[a]
        return prior / prior.sum()

    def emission(self, p, prior, w):
        e = np.power(np.maximum(p.astype(np.float64), PROB_FLOOR) / prior, w)
        return e

    def live(self, probs, wprobs, present):
        """Causal posteriors (n,5) and predictions (-1 = UNSCORED: absent with no prior present epoch). alpha
        advances only at present epochs; an absent epoch = prediction step from the last present epoch's alpha
        times its Welch-only emission, not folded into alpha."""
        n = len(present)
        post = np.zeros((n, 5))
        pred = np.full(n, -1, dtype=np.int64)
        alpha = None
        for i in range(n):
            if present[i]:
                if not self.w:
                    q = np.maximum(probs[i].astype(np.float64), PROB_FLOOR)
                else:
                    q = self.predict(alpha) * self.emission(probs[i], self.prior, self.w)
                q = q / q.sum()
                alpha = q
            elif alpha is None:
                continue
            else:
                q = self.predict(alpha) * self.emission(wprobs[i], self.wprior, self.v)
                q = np.power(q / q.sum(), 1.0 / getattr(self, "absent_temperature", 1.0))
                q = q / q.sum()
            post[i] = q
            pred[i] = int(np.argmax(q))
        return post, pred

    def combined(self, probs, back, present):
        """Revised per-epoch probabilities of present epochs:
        normalise(max(pb, f) * (max(p, f) / class_prior)^revised_mix)."""
        out = np.zeros((len(present), 5))
        for i in np.nonzero(present)[0]:
            q = (np.maximum(back[i].astype(np.float64), PROB_FLOOR)
                 * np.power(np.maximum(probs[i].astype(np.float64), PROB_FLOOR) / self.prior, self.mix))
            out[i] = q / q.sum()
        return out

    def revised(self, probs, back, wprobs, present):
        """Non-causal re-score of a finished stretch. Present epochs: r = combined(p, p_back); with revised_exponent
        wr > 0 a forward-backward pass over the present epochs with emissions (r / class_prior)^wr, else r itself.
        An absent epoch keeps its live prediction (never folded into the present epochs' posteriors)."""
        n = len(present)
        idx = np.nonzero(present)[0]
        m = len(idx)
        r = self.combined(probs, back, present)
        post = np.zeros((n, 5))
        if self.wr > 0:
            e = [np.power(np.maximum(r[i], PROB_FLOOR) / self.prior, self.wr) for i in idx]
        else:
            e = [np.maximum(r[i], PROB_FLOOR) / self.prior for i in idx]
        fwd = []
        a = None
        for k in range(m):
            q = self.predict(a) * e[k] if self.wr > 0 else np.maximum(r[idx[k]], PROB_FLOOR)
            a = q / q.sum()
            fwd.append(a)
        bwd = [None] * m
        b = np.ones(5)
        for k in range(m - 1, -1, -1):
            bwd[k] = b
            if k > 0 and self.wr > 0:
                nb = self.t @ (e[k] * b)
                b = nb / nb.sum()
        for k in range(m):
            g = fwd[k] * bwd[k]
            post[idx[k]] = g / g.sum()
        # an absent epoch keeps its live prediction (last present epoch's live posterior and its own Welch powers):
        # in the shared data the epoch after an absent one is systematically another stage (the extraction's
        # artefact), so evidence from the right would be misleading there and cannot be validated here
        live_post, live_pred = self.live(probs, wprobs, present)
        pred = np.argmax(post, axis=1)
        for i in np.nonzero(~present)[0]:
            post[i] = live_post[i]
            pred[i] = live_pred[i]
        return post, pred
