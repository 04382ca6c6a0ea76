"""Per-epoch MLP on transformed causal features (transform + standardisation inside the ONNX graph) and the causal
HMM forward filter (numpy, float64; mirrored exactly by CausalStager.java)."""
import numpy as np
import torch
from torch import nn

PER_SIGNAL = 35
FEATURES = 105
# dropped per signal (stager-features.md §7): spec_centroid, spec_variance, sum_delta_fast_theta, the four ratios
DROPPED = {13, 14, 30, 31, 32, 33, 34}
# signed log1p for scale-like / heavy-tailed features
LOGGED = {0, 1, 2, 3, 4, 15, 16, 24, 25, 26, 27, 28, 29}
# relative Welch band powers: graph input "welch" (n,15), signal-major (Fpz-Cz, Pz-Oz, EOG) x 5 bands; the raw input
# row of the model is the 105 features followed by these 15 (columns 105..119); kept ones enter as log(p + WELCH_EPS)
WELCH = 15
WELCH_EPS = 1e-4
CLIP = 8.0
PROB_FLOOR = 1e-6
# causal night context: running mean of the standardised features of prior epochs that had features
# per span: cumulative mean for the first `span` such epochs, then an exponential average with weight 1/span
CTX_SPANS = [100, 3]
HIDDEN = [128, 64]
KEPT = []
LOG_MASK = np.zeros(0, dtype=bool)
WELCH_MASK = np.zeros(0, dtype=bool)
WELCH_SIGNALS = []
WIDTH = 0


def configure(welch_signals):
    """Which welch_rel signals (0 Fpz-Cz, 1 Pz-Oz, 2 EOG) the model uses; sets KEPT / masks / WIDTH."""
    global KEPT, LOG_MASK, WELCH_MASK, WELCH_SIGNALS, WIDTH
    WELCH_SIGNALS = list(welch_signals)
    KEPT = [s * PER_SIGNAL + f for s in range(3) for f in range(PER_SIGNAL) if f not in DROPPED]
    KEPT += [FEATURES + s * 5 + b for s in WELCH_SIGNALS for b in range(5)]
    LOG_MASK = np.array([c < FEATURES and (c % PER_SIGNAL) in LOGGED for c in KEPT])
    WELCH_MASK = np.array([c >= FEATURES for c in KEPT])
    WIDTH = len(KEPT)


configure([0, 1, 2])


def ctx_width():
    return WIDTH * len(CTX_SPANS)


def transform_np(x):
    """Same maths as the graph's first layers (float64 here; used only for the standardisation statistics)."""
    v = x[:, KEPT].astype(np.float64)
    v[:, LOG_MASK] = np.sign(v[:, LOG_MASK]) * np.log1p(np.abs(v[:, LOG_MASK]))
    v[:, WELCH_MASK] = np.log(np.abs(v[:, WELCH_MASK]) + WELCH_EPS)
    return v


class Stager(nn.Module):
    """raw 105 features + 15 relative Welch powers (float32) -> calibrated per-epoch probabilities."""

    def __init__(self, mean, std, hidden=None, dropout=0.1):
        hidden = HIDDEN if hidden is None else hidden
        super().__init__()
        self.register_buffer("kept", torch.tensor(KEPT, dtype=torch.long))
        self.register_buffer("logmask", torch.tensor(LOG_MASK, dtype=torch.bool))
        self.register_buffer("welchmask", torch.tensor(WELCH_MASK, dtype=torch.bool))
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.register_buffer("inv_temperature", torch.tensor(1.0, dtype=torch.float32))
        layers = []
        self.spans = len(CTX_SPANS)
        width = (1 + self.spans) * len(KEPT)
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        layers.append(nn.Linear(width, 5))
        self.net = nn.Sequential(*layers)

    def standardised(self, x):
        """x: (n, 120) = 105 features then 15 welch powers."""
        v = torch.index_select(x, 1, self.kept)
        v = torch.where(self.logmask, torch.sign(v) * torch.log(torch.abs(v) + 1.0), v)
        v = torch.where(self.welchmask, torch.log(torch.abs(v) + WELCH_EPS), v)
        return torch.clamp((v - self.mean) / self.std, -CLIP, CLIP)

    def logits(self, x, ctx):
        z = self.standardised(x)
        return self.net(self._join(z, ctx))

    def _join(self, z, ctx):
        parts = [z]
        for k in range(self.spans):
            parts.append(z - ctx[:, k * WIDTH:(k + 1) * WIDTH])
        return torch.cat(parts, dim=1)

    def forward(self, features, welch, ctx):
        z = self.standardised(torch.cat([features, welch], dim=1))
        p = torch.softmax(self.net(self._join(z, ctx)) * self.inv_temperature, dim=1)
        return p, z


def fit_stats(x):
    t = transform_np(x)
    mean = t.mean(axis=0)
    std = t.std(axis=0)
    std[std < 1e-6] = 1.0
    return mean, std


def standardise_np(x, mean, std):
    return np.clip((transform_np(x) - mean) / std, -CLIP, CLIP)


def contexts(z, present):
    """Context of every epoch (n, WIDTH * len(CTX_SPANS)) float64 from the standardised rows z (n, WIDTH; ignored
    where absent): per span, the running mean before the epoch. Mirrors NightContext.java."""
    n = len(present)
    ctx = np.zeros((n, ctx_width()))
    emas = [np.zeros(WIDTH) for _ in CTX_SPANS]
    count = 0
    for i in range(n):
        ctx[i] = np.concatenate(emas)
        if present[i]:
            count += 1
            zi = z[i].astype(np.float64)
            for k, span in enumerate(CTX_SPANS):
                a = max(1.0 / count, 1.0 / span)
                emas[k] = emas[k] + a * (zi - emas[k])
    return ctx


def train_mlp(x, ctx, y, mean, std, seed, epochs=14, batch=256, lr=2e-3):
    torch.manual_seed(seed)
    model = Stager(mean, std)
    xt = torch.from_numpy(x.astype(np.float32))
    ct = torch.from_numpy(ctx.astype(np.float32))
    yt = torch.from_numpy(y.astype(np.int64))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    gen = torch.Generator().manual_seed(seed)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(yt), generator=gen)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model.logits(xt[idx], ct[idx]), yt[idx])
            loss.backward()
            opt.step()
        sched.step()
    model.eval()
    return model


def fit_temperature(model, x, ctx, y):
    """Temperature scaling on held-out subjects (minimises NLL over a grid, then stores 1/T in the graph)."""
    with torch.no_grad():
        logits = model.logits(torch.from_numpy(x.astype(np.float32)),
                              torch.from_numpy(ctx.astype(np.float32))).double()
    yt = torch.from_numpy(y.astype(np.int64))
    best = (float("inf"), 1.0)
    for temp in np.arange(0.5, 3.01, 0.05):
        nll = nn.functional.cross_entropy(logits / temp, yt).item()
        if nll < best[0]:
            best = (nll, float(temp))
    model.inv_temperature.fill_(1.0 / best[1])
    return best[1]


def predict_night(model, feats, present):
    """feats: (n, 120) features + welch rows."""
    """Per-epoch probabilities (n,5) float32 (zeros where absent) exactly as Java computes them: one graph call with
    a zero context for the standardised rows, the running context in float64, a second call with the context."""
    n = len(present)
    probs = np.zeros((n, 5), dtype=np.float32)
    ctx = np.zeros((n, ctx_width()))
    if not present.any():
        return probs, ctx
    x = torch.from_numpy(feats[present].astype(np.float32))
    with torch.no_grad():
        _, z = model(x[:, :FEATURES], x[:, FEATURES:], torch.zeros(len(x), ctx_width()))
        zf = np.zeros((n, WIDTH), dtype=np.float32)
        zf[present] = z.numpy()
        ctx = contexts(zf, present)
        p, _ = model(x[:, :FEATURES], x[:, FEATURES:], torch.from_numpy(ctx[present].astype(np.float32)))
    probs[present] = p.numpy()
    return probs, ctx


def learn_hmm(nights):
    """Transitions between consecutive expert-labelled epochs, initial = first labelled epoch's stage (add-one)."""
    trans = np.ones((5, 5))
    init = np.ones(5)
    for n in nights:
        s = n.stage
        lab = np.nonzero(s >= 0)[0]
        if len(lab):
            init[s[lab[0]]] += 1
        a, b = s[:-1], s[1:]
        ok = (a >= 0) & (b >= 0)
        np.add.at(trans, (a[ok], b[ok]), 1)
    return trans / trans.sum(axis=1, keepdims=True), init / init.sum()


class Hmm:
    """Causal forward filter. Mirrors CausalStager.java operation by operation."""

    def __init__(self, transition, initial, class_prior, exponent):
        self.t = np.asarray(transition, dtype=np.float64)
        self.init = np.asarray(initial, dtype=np.float64)
        self.prior = np.asarray(class_prior, dtype=np.float64)
        self.w = float(exponent)

    def run(self, probs, present):
        """probs (n,5) per-epoch model output (float32 where present); returns filtered posteriors (n,5) and
        predictions (-1 = UNSCORED: no features and no prior epoch)."""
        n = len(present)
        post = np.zeros((n, 5))
        pred = np.full(n, -1, dtype=np.int64)
        alpha = None
        for i in range(n):
            if alpha is None:
                prior = self.init.copy()
            else:
                prior = np.zeros(5)
                for a in range(5):
                    prior += alpha[a] * self.t[a]
                prior = prior / prior.sum()
            if present[i]:
                p = np.maximum(probs[i].astype(np.float64), PROB_FLOOR)
                q = prior * np.power(p / self.prior, self.w)
                q = q / q.sum()
                pred[i] = int(np.argmax(q))
            else:
                q = prior
                if alpha is not None:
                    pred[i] = int(np.argmax(q))
            post[i] = q
            alpha = q
        return post, pred
