package org.hypnostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.hypnostream.common.topic.Topics;
import org.hypnostream.ingest.GatewayStats;

/**
 * The books of a fault test's night, kept the same way by {@code FaultInjectionIT}, {@code ClusterFaultIT} and
 * {@code InstanceFailoverIT}: the blocks the gateway journaled against the distinct blocks on samples.v1 (and the
 * re-sent ones deduplicated there), the epochs and stage events missing or doubled in the ledger.
 */
record NightTally(long journaled, long delivered, long resent, long lostBlocks, long epochs, long epochsMissing,
        long epochsExtra, long stageEvents, long stagesMissing, long stagesExtra) {

    /**
     * Counts the night of {@code beds} ({@code epochsPerBed} each) and asserts, bed by bed, that the distinct blocks on
     * samples.v1 are the blocks the gateway journaled ({@code name} says which run in the message).
     */
    static NightTally of(String name, GatewayStats stats, String bootstrap, NightLedger ledger, List<String> beds,
            long epochsPerBed) {
        TopicCounts counts = TopicCounts.read(bootstrap, List.of(Topics.SAMPLES.name()));
        long journaled = 0;
        long delivered = 0;
        long resent = 0;
        long lostBlocks = 0;
        for (String bed : beds) {
            long j = stats.beds().get(bed).blocksJournaled();
            long d = counts.count(bed, Topics.SAMPLES.name());
            journaled += j;
            delivered += d;
            resent += counts.duplicates(bed);
            lostBlocks += Math.max(0, j - d);
            assertThat(d).as("%s: distinct blocks of %s on samples.v1 = blocks journaled", name, bed).isEqualTo(j);
        }
        return new NightTally(journaled, delivered, resent, lostBlocks, NightLedger.total(ledger.epochs()),
                NightLedger.missing(ledger.epochs(), beds, epochsPerBed), NightLedger.extra(ledger.epochs(), beds, epochsPerBed),
                NightLedger.total(ledger.stageEvents()), NightLedger.missing(ledger.stageEvents(), beds, epochsPerBed),
                NightLedger.extra(ledger.stageEvents(), beds, epochsPerBed));
    }

    /** Blocks, epochs and stage events missing. */
    long lost() {
        return lostBlocks + epochsMissing + stagesMissing;
    }

    /** Epochs and stage events there more than once. */
    long duplicated() {
        return epochsExtra + stagesExtra;
    }

    /** The figures for the test's printed line. */
    String figures() {
        return String.format(Locale.ROOT, "journaled=%d delivered=%d resent_deduplicated=%d epochs=%d stage_events=%d"
                + " lost=%d duplicated=%d", journaled, delivered, resent, epochs, stageEvents, lost(), duplicated());
    }

    /** Every block journaled ({@code expectedJournaled}), no epoch or stage event missing or doubled. */
    void assertComplete(String name, long expectedJournaled, NightLedger ledger) {
        assertThat(journaled).as("%s: blocks journaled", name).isEqualTo(expectedJournaled);
        assertThat(epochsMissing).as("%s: epochs missing, ledger %s", name, ledger.epochs()).isZero();
        assertThat(epochsExtra).as("%s: epochs doubled, ledger %s", name, ledger.epochs()).isZero();
        assertThat(stagesMissing).as("%s: epochs without a stage event, ledger %s", name, ledger.stageEvents()).isZero();
        assertThat(stagesExtra).as("%s: epochs scored twice, ledger %s", name, ledger.stageEvents()).isZero();
    }
}
