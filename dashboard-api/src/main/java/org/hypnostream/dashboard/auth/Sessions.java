package org.hypnostream.dashboard.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Opaque bearer tokens (256 random bits) with an expiry; in memory, so a restart signs everybody out. */
public final class Sessions {
    private record Session(User user, Instant expires) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration ttl;

    public Sessions(InstantSource clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    public String open(User user) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        byToken.put(token, new Session(user, clock.instant().plus(ttl)));
        purgeExpired();
        return token;
    }

    public Optional<User> user(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires)) {
            byToken.remove(token);
            return Optional.empty();
        }
        return Optional.of(s.user);
    }

    public void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        for (Iterator<Session> it = byToken.values().iterator(); it.hasNext();) {
            if (!now.isBefore(it.next().expires)) {
                it.remove();
            }
        }
    }
}
