package org.hypnostream.dashboard.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time websocket tickets: a signed-in page asks for one ({@code POST /api/ws-ticket}) and opens
 * {@code /ws?ticket=...} within {@link #TTL}; a ticket opens one socket only, so the bearer token never goes into a
 * URL (proxies and access logs keep URLs). In memory: a ticket outlives no restart, the page just asks again.
 */
public final class WsTickets {
    public static final Duration TTL = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Ticket(User user, Instant expires) {
    }

    private final Map<String, Ticket> open = new ConcurrentHashMap<>();
    private final InstantSource clock;

    public WsTickets(InstantSource clock) {
        this.clock = clock;
    }

    public String issue(User user) {
        Instant now = clock.instant();
        open.values().removeIf(t -> !now.isBefore(t.expires()));
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        open.put(ticket, new Ticket(user, now.plus(TTL)));
        return ticket;
    }

    /** The ticket's user, once: a second redemption, an unknown or an expired ticket gives nothing. */
    public Optional<User> redeem(String ticket) {
        Ticket t = ticket == null ? null : open.remove(ticket);
        if (t == null || !clock.instant().isBefore(t.expires())) {
            return Optional.empty();
        }
        return Optional.of(t.user());
    }
}
