package org.hypnostream.stream.plm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per series rule (plm-rules.md, "PLM series"), hand-computed. Input: onsets in seconds, "x" suffix =
 * a non-CLM. Expected: the state after each LM (C candidate, P provisional, F confirmed, - none) and PLMs counted.
 */
class PlmSeriesTrackerTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("4 CLMs 20 s apart confirm a series", "WASM2016", "0 20 40 60", "C P P F", 4),
                Arguments.of("a 5th member adds one PLM", "WASM2016", "0 20 40 60 80", "C P P F F", 5),
                Arguments.of("IMI of exactly 10 and 90 s is kept", "WASM2016", "0 10 20 110", "C P P F", 4),
                Arguments.of("IMI 9.9 s breaks (WASM)", "WASM2016", "0 20 29.9 50 70", "C P C P P", 0),
                Arguments.of("IMI 90.1 s breaks", "WASM2016", "0 20 40 130.1 150", "C P P C P", 0),
                Arguments.of("a non-CLM breaks the series", "WASM2016", "0 20 40 60x 80 100 120 140",
                        "C P P - C P P F", 4),
                Arguments.of("3 CLMs then a break never become PLMs", "WASM2016", "0 20 40 200", "C P P C", 0),
                Arguments.of("AASM keeps an IMI of 5 s", "AASM", "0 5 10 15", "C P P F", 4),
                Arguments.of("WASM breaks an IMI of 5 s", "WASM2016", "0 5 10 15", "C C C C", 0),
                Arguments.of("AASM breaks an IMI of 4.9 s", "AASM", "0 5 9.9 15", "C P C P", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void series(String name, String rules, String onsets, String states, int plms) {
        PlmSeriesTracker t = new PlmSeriesTracker();
        List<String> got = new ArrayList<>();
        int plmCount = 0;
        for (String o : onsets.split(" ")) {
            boolean non = o.endsWith("x");
            long onset = PlmRulesTest.at(Double.parseDouble(non ? o.substring(0, o.length() - 1) : o));
            Lm lm = new Lm(onset, onset + 1_000_000L, "LEFT", 1, !non, non ? "test non-CLM" : null);
            PlmSeriesTracker.Step st = t.accept("bed-1", lm, "N2", PlmRuleSet.parse(rules));
            got.add(st.state() == null ? "-" : switch (st.state()) {
                case PlmSeriesTracker.CANDIDATE -> "C";
                case PlmSeriesTracker.PROVISIONAL -> "P";
                case PlmSeriesTracker.CONFIRMED -> "F";
                default -> st.state();
            });
            plmCount += st.plmOnsets().size();
        }
        assertThat(String.join(" ", got)).isEqualTo(states);
        assertThat(plmCount).isEqualTo(plms);
    }
}
