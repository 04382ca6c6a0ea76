"""The leak rule of stager v3, checked: inserting or removing absent epochs anywhere in a night changes no present
epoch's output (graph probabilities, live posterior, revised posterior).

/usr/bin/python3 training/stager/test_leak.py          # exits non-zero on failure
Uses a randomly initialised model (the property is structural, it must hold for any weights) and one real night.
"""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data as D  # noqa: E402
import ensemble as EN  # noqa: E402
import model as MD  # noqa: E402
import sequence as S  # noqa: E402
import train as V2  # noqa: E402


def night():
    MD.configure(V2.WELCH_CHOICES["no-fpz"])
    folder = D.default_dir()
    with np.load(os.path.join(folder, "SC4001.npz")) as z:
        feats = np.asarray(z["features"], dtype=np.float32)
        welch = np.asarray(z["welch_rel"], dtype=np.float32).reshape(len(feats), 15)
        stage = np.asarray(z["stage"], dtype=np.int64)
    present = np.all(np.isfinite(feats), axis=1)
    return np.concatenate([feats, welch], axis=1), present, stage


class LeakTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(7)
        cls.rows, cls.present, cls.stage = night()
        mean, std = MD.fit_stats(cls.rows[cls.present])
        cls.model = S.SeqStager(mean, std, 20, 32)
        cls.model.eval()
        t = np.full((5, 5), 0.05) + np.eye(5) * 0.75
        cls.chains = [S.Chain(t, np.full(5, 0.2), np.full(5, 0.2), np.full(5, 0.2), w, 1.0, wr, mix)
                      for w, wr, mix in ((None, 0.0, 0.0), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0))]

    def outputs(self, rows, present, chain):
        if isinstance(self.model, EN.EnsembleStager):
            p, pw = self.model.night_outputs(rows, present)
            pb = self.model.night_back(rows, present)
        else:
            p, pw = S.night_outputs(self.model, rows, present)
            pb = S.night_back(self.model, rows, present)
        live, _ = chain.live(p, pw, present)
        rev, _ = chain.revised(p, pb, pw, present)
        return p[present], pb[present], live[present], rev[present]

    def check_same(self, rows2, present2):
        self.assertEqual(int(present2.sum()), int(self.present.sum()))
        for chain in self.chains:
            a = self.outputs(self.rows, self.present, chain)
            b = self.outputs(rows2, present2, chain)
            for x, y, what in zip(a, b, ("probabilities", "re-score graph probabilities", "live", "revised")):
                np.testing.assert_array_equal(x, y, err_msg=f"{what} changed (hmm exponent {chain.w})")

    def test_the_night_has_absent_epochs(self):
        self.assertGreater(int((~self.present).sum()), 50)

    def test_removing_every_absent_epoch_changes_no_present_output(self):
        keep = self.present
        self.check_same(self.rows[keep], self.present[keep])

    def test_inserting_absent_epochs_anywhere_changes_no_present_output(self):
        rng = np.random.RandomState(3)
        rows, present = list(self.rows), list(self.present)
        for _ in range(80):
            at = rng.randint(len(rows) + 1)
            r = np.full(120, np.nan, dtype=np.float32)
            w = rng.dirichlet(np.ones(5), size=3).astype(np.float32).reshape(15)
            r[105:] = w
            rows.insert(at, r)
            present.insert(at, False)
        self.check_same(np.stack(rows), np.array(present))

    def test_a_present_epochs_change_does_change_later_outputs(self):
        """The check can fail: altering one present epoch's features changes later present outputs."""
        rows = self.rows.copy()
        first = int(np.nonzero(self.present)[0][100])
        rows[first, :105] *= 1.5
        a = self.outputs(self.rows, self.present, self.chains[0])[0]
        b = self.outputs(rows, self.present, self.chains[0])[0]
        self.assertFalse(np.array_equal(a[101:110], b[101:110]))


class EnsembleLeakTest(LeakTest):
    """The same checks for an ensemble of GRUs averaged in one graph (ensemble.py), re-tempered (T != 1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mean, std = MD.fit_stats(cls.rows[cls.present])
        torch.manual_seed(8)
        members = [S.SeqStager(mean, std, 20, 32), S.SeqStager(mean, std, 20, 32)]
        cls.model = EN.EnsembleStager(members, 0.9, 1.1)
        cls.model.eval()

    def test_graph_forward_equals_the_night_path(self):
        """forward() (what the ONNX export traces) gives the same probabilities as night_outputs()."""
        idx = np.nonzero(self.present)[0][:40]
        p, _ = self.model.night_outputs(self.rows[idx], np.ones(len(idx), dtype=bool))
        z = S.standardise(self.model.members[0], np.nan_to_num(self.rows[idx], nan=0.0))
        k = self.model.window
        past = np.concatenate([np.zeros((k - 1, z.shape[1]), dtype=np.float32), z])
        with torch.no_grad():
            g, _, _ = self.model(torch.from_numpy(self.rows[idx, :105]), torch.from_numpy(self.rows[idx, 105:]),
                                 torch.from_numpy(np.stack([past[i:i + k - 1] for i in range(len(idx))])))
        np.testing.assert_allclose(g.numpy(), p, atol=1e-5)
        self.assertFalse(np.allclose(p, S.night_outputs(self.model.members[0], self.rows[idx],
                                                        np.ones(len(idx), dtype=bool))[0], atol=1e-4))


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main()
