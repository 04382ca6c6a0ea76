package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import org.hypnostream.dashboard.night.BedNight;
import org.hypnostream.dashboard.night.WardState;
import org.junit.jupiter.api.Test;

/**
 * {@code bench night-heap}'s synthetic nights (ADR 0027) served as main's dashboard served them: for four beds, 1 and 8
 * hours each, the SHA-256 of every change the night announced (kind, number, change JSON, statistics) and of the night
 * JSON must equal {@code src/test/resources/night-golden-synthetic.txt}, which
 * {@link #main} wrote with main a77de8e's dashboard jar on the class path (this branch's test classes, only public
 * API that both have). The events are applied bed by bed, part by part, as the benchmark applies them. (The review
 * and EDF+ export are left out here: these nights have BILATERAL leg events, which the review refuses, main's too;
 * the dashboard module's {@code CompactNightGoldenTest} compares them on a night of monolateral ones.)
 */
class SyntheticNightGoldenTest {
    private static final String GOLDEN = "/night-golden-synthetic.txt";

    @Test
    void theCompactNightServesTheSyntheticNightsAsMainServedThem() throws Exception {
        String want;
        try (InputStream in = SyntheticNightGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN).isNotNull();
            want = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(digests()).isEqualTo(want);
    }

    /** Writes the golden file to {@code args[0]}: run with main's dashboard jar first on the class path. */
    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[0]), digests());
    }

    static String digests() throws Exception {
        StringBuilder out = new StringBuilder();
        for (int hours : new int[] {1, 8}) {
            for (int b = 1; b <= 4; b++) {
                out.append(bed("bed-" + b, b, hours * 120)).append('\n');
            }
        }
        return out.toString();
    }

    private static String bed(String bed, long seed, int epochs) throws Exception {
        Instant now = SyntheticNight.START.plusSeconds(30L * epochs + 600);
        WardState state = new WardState(InstantSource.fixed(now));
        MessageDigest changes = MessageDigest.getInstance("SHA-256");
        int updates = 0;
        SyntheticNight night = new SyntheticNight(bed, seed, epochs);
        for (SyntheticNight.Part part : SyntheticNight.Part.values()) {
            for (Object e : night.events(part)) {
                var u = state.apply(e);
                if (u.isPresent()) {
                    updates++;
                    changes.update((u.get().seq() + " " + u.get().kind() + " " + u.get().data().encode() + " " + u.get().statistics())
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        BedNight n = state.bed(bed).orElseThrow();
        return bed + " " + epochs + " epochs: " + updates + " changes " + hex(changes.digest()) + ", night " + sha(n.toJson().encode());
    }

    private static String sha(String s) throws Exception {
        return sha(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(byte[] data) throws Exception {
        return hex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest).substring(0, 16);
    }
}
