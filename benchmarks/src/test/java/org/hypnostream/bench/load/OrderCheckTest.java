package org.hypnostream.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrderCheckTest {
    @Test
    void consecutiveIndicesPerBedPassInterleavedBeds() {
        OrderCheck.Tracker t = new OrderCheck.Tracker();
        for (int i = 5; i < 10; i++) {
            t.accept("bed-1", i, "0@" + i);
            t.accept("bed-2", i - 5, "1@" + i);
        }
        assertThat(t.beds()).isEqualTo(2);
        assertThat(t.broken()).isEmpty();
    }

    @Test
    void aGapADuplicateOrAReorderingIsReportedOncePerBed() {
        OrderCheck.Tracker t = new OrderCheck.Tracker();
        t.accept("gap", 0, "a");
        t.accept("gap", 2, "b");
        t.accept("dup", 0, "c");
        t.accept("dup", 0, "d");
        t.accept("back", 3, "e");
        t.accept("back", 2, "f");
        t.accept("back", 1, "g");
        t.accept("fine", 7, "h");
        assertThat(t.broken()).containsOnlyKeys("gap", "dup", "back");
        assertThat(t.broken().get("back")).isEqualTo("epoch 2 after 3 at f");
    }
}
