package org.hypnostream.dashboard.eeg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hypnostream.common.wire.Epoch;
import org.hypnostream.testkit.TestEdf;

/**
 * The ten 30-s epochs of the real Sleep-EDF SC4001E0 snippet ({@code ../shared/data/snippets}) as the spine's
 * {@link Epoch}s: Fpz-Cz, Pz-Oz and horizontal EOG at 100 Hz in µV, decoded by the test kit's {@link TestEdf}.
 */
final class SnippetEeg {
    private SnippetEeg() {
    }

    static List<Epoch> epochs(String bed) throws IOException {
        float[][][] x = TestEdf.snippetEpochs();
        List<Epoch> out = new ArrayList<>();
        for (int e = 0; e < x.length; e++) {
            out.add(new Epoch(bed, e, 1_700_000_000_000_000L + e * 30_000_000L, 100, List.of("Fpz-Cz", "Pz-Oz", "EOG"), x[e], Set.of(), 0));
        }
        return out;
    }
}
