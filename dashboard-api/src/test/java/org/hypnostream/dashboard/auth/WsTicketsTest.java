package org.hypnostream.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.Test;

/** One-time websocket tickets: redeemed once, within their lifetime. */
class WsTicketsTest {
    private static final User NURSE = new User("nurse", Set.of("ward-a"));
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T20:00:00Z"));
    private final WsTickets tickets = new WsTickets(clock);

    @Test
    void aTicketOpensOnceAndAReplayIsRefused() {
        String t = tickets.issue(NURSE);
        assertThat(tickets.redeem(t)).contains(NURSE);
        assertThat(tickets.redeem(t)).as("replayed").isEmpty();
    }

    @Test
    void anExpiredTicketIsRefused() {
        String t = tickets.issue(NURSE);
        String fresh = tickets.issue(NURSE);
        clock.advance(WsTickets.TTL.minusSeconds(1));
        assertThat(tickets.redeem(fresh)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tickets.redeem(t)).as("30 s old").isEmpty();
    }

    @Test
    void unknownTicketsAreRefusedAndEachTicketIsDistinct() {
        assertThat(tickets.redeem("nonsense")).isEmpty();
        assertThat(tickets.redeem(null)).isEmpty();
        assertThat(tickets.issue(NURSE)).isNotEqualTo(tickets.issue(NURSE));
    }
}
