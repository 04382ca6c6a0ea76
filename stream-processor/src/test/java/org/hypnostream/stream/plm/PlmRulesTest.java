package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hypnostream.common.event.LegSide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per LM rule of plm-rules.md ("Monolateral LM" merge/duration, "Candidate LM"), expectations computed by
 * hand. Movements are written "L 0-1" (left leg, onset 0 s, offset 1 s); expected LMs "BILATERAL 0-3 x2 CLM".
 */
class PlmRulesTest {
    private static final long T0 = 1_700_000_000_000_000L;

    static Stream<Arguments> rows() {
        return Stream.of(
                // minimum duration 0.5 s (shorter: not an LM at all)
                Arguments.of("LM shorter than 0.5 s is no LM", "WASM2016", "L 0-0.4", ""),
                Arguments.of("LM of exactly 0.5 s is a CLM", "WASM2016", "L 0-0.5", "LEFT 0-0.5 x1 CLM"),
                // monolateral CLM 0.5-10 s
                Arguments.of("monolateral 10 s is a CLM", "WASM2016", "L 0-10", "LEFT 0-10 x1 CLM"),
                Arguments.of("monolateral 10.5 s is not a CLM", "WASM2016", "L 0-10.5", "LEFT 0-10.5 x1 non"),
                // same-leg merge: < 0.5 s offset to onset
                Arguments.of("same leg 0.4 s apart merge", "WASM2016", "L 0-1, L 1.4-2", "LEFT 0-2 x1 CLM"),
                Arguments.of("same leg 0.5 s apart stay two", "WASM2016", "L 0-1, L 1.5-2",
                        "LEFT 0-1 x1 CLM; LEFT 1.5-2 x1 CLM"),
                // bilateral: overlap or < 0.5 s gap
                Arguments.of("overlapping legs are one bilateral LM", "WASM2016", "L 0-2, R 1-3",
                        "BILATERAL 0-3 x2 CLM"),
                Arguments.of("legs 0.4 s apart are one bilateral LM", "WASM2016", "L 0-1, R 1.4-2",
                        "BILATERAL 0-2 x2 CLM"),
                Arguments.of("legs 0.5 s apart are two LMs", "WASM2016", "L 0-1, R 1.5-2",
                        "LEFT 0-1 x1 CLM; RIGHT 1.5-2 x1 CLM"),
                // bilateral 0.5-15 s
                Arguments.of("bilateral 15 s is a CLM", "WASM2016", "L 0-8, R 7-15", "BILATERAL 0-15 x2 CLM"),
                Arguments.of("bilateral 15.5 s is not a CLM", "WASM2016", "L 0-8, R 7.5-15.5",
                        "BILATERAL 0-15.5 x2 non"),
                Arguments.of("bilateral with a member over 10 s is not a CLM", "WASM2016", "L 0-10.5, R 1-2",
                        "BILATERAL 0-10.5 x2 non"),
                // at most 4 monolateral members
                Arguments.of("4 members is a CLM", "WASM2016", "L 0-1, R 0.8-2, L 2.3-3, R 2.8-3.6",
                        "BILATERAL 0-3.6 x4 CLM"),
                Arguments.of("5 members is not a CLM", "WASM2016", "L 0-1, R 0.8-2, L 2.3-3, R 2.8-3.6, L 4-4.6",
                        "BILATERAL 0-4.6 x5 non"),
                // AASM: LM 0.5-10 s, legs with onsets < 5 s apart are one movement
                Arguments.of("AASM legs 4.9 s apart are one", "AASM", "L 0-2, R 4.9-6", "BILATERAL 0-6 x2 CLM"),
                Arguments.of("AASM legs 5 s apart are two", "AASM", "L 0-2, R 5-6",
                        "LEFT 0-2 x1 CLM; RIGHT 5-6 x1 CLM"),
                Arguments.of("WASM legs 1 s apart are two, AASM one", "WASM2016", "L 0-2, R 3-4",
                        "LEFT 0-2 x1 CLM; RIGHT 3-4 x1 CLM"),
                Arguments.of("AASM legs 1 s apart are one", "AASM", "L 0-2, R 3-4", "BILATERAL 0-4 x2 CLM"),
                Arguments.of("AASM LM over 10 s is not a candidate", "AASM", "L 0-12", "LEFT 0-12 x1 non"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rule(String name, String ruleSet, String input, String expected) {
        List<Lm> lms = BilateralMerger.mergeAll(parse(input), PlmRuleSet.parse(ruleSet));
        List<String> got = new ArrayList<>();
        for (Lm lm : lms) {
            got.add(lm.side() + " " + s(lm.onsetMicros()) + "-" + s(lm.offsetMicros()) + " x" + lm.members() + " "
                    + (lm.candidate() ? "CLM" : "non"));
        }
        assertThat(String.join("; ", got)).isEqualTo(expected);
        lms.stream().filter(lm -> !lm.candidate()).forEach(lm -> assertThat(lm.reason()).isNotBlank());
    }

    static List<MonoLm> parse(String input) {
        List<MonoLm> out = new ArrayList<>();
        if (input.isBlank()) {
            return out;
        }
        for (String part : input.split(",")) {
            String[] f = part.trim().split("[ -]");
            LegSide side = f[0].equals("L") ? LegSide.LEFT : LegSide.RIGHT;
            out.add(new MonoLm(side, at(Double.parseDouble(f[1])), at(Double.parseDouble(f[2]))));
        }
        return out;
    }

    static long at(double seconds) {
        return T0 + Math.round(seconds * 1e6);
    }

    private static String s(long micros) {
        double v = (micros - T0) / 1e6;
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
