package org.hypnostream.dashboard.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed bearer tokens: {@code v1.<payload>.<HMAC-SHA256 of it>}, the payload holding a random token id, the expiry,
 * the user name, wards and role. Nothing is stored per sign-in, so with a key kept on disk ({@link #persistent}) a dashboard
 * restart, or another instance with the same key, accepts the tokens it issued; sign-out revokes a token by its id in
 * {@link RevokedTokens}, also kept on disk. {@link Sessions#Sessions(InstantSource, Duration)} keeps key and
 * revocations in memory: a restart signs everybody out.
 */
public final class Sessions {
    private static final String VERSION = "v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN_CHARS = 2048;
    private final InstantSource clock;
    private final Duration ttl;
    private final SecretKeySpec key;
    private final RevokedTokens revoked;

    /** A fresh random key and in-memory revocations (a restart signs everybody out). */
    public Sessions(InstantSource clock, Duration ttl) {
        this(clock, ttl, SessionKey.random(), RevokedTokens.inMemory(clock));
    }

    private Sessions(InstantSource clock, Duration ttl, byte[] key, RevokedTokens revoked) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token lifetime " + ttl + " must be positive");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.revoked = revoked;
    }

    /**
     * Key and revocations under {@code dir} ({@code session.key}, created with 256 random bits on first use, owner
     * read/write only; {@code revoked-tokens}): tokens outlive a restart and sign-outs stay signed out.
     */
    public static Sessions persistent(InstantSource clock, Duration ttl, Path dir) {
        return new Sessions(clock, ttl, SessionKey.loadOrCreate(dir.resolve("session.key")),
                RevokedTokens.open(dir.resolve("revoked-tokens"), clock));
    }

    /** {@link #persistent} when {@code dir} is set, else in memory. */
    public static Sessions of(InstantSource clock, Duration ttl, Path dir) {
        return dir == null ? new Sessions(clock, ttl) : persistent(clock, ttl, dir);
    }

    public String open(User user) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String payload = B64.encodeToString(id) + "\n" + expires + "\n" + user.name() + "\n"
                + String.join(",", user.wards().stream().sorted().toList()) + "\n" + user.role().name();
        String body = VERSION + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The token's user when it is well formed, signed with this key, not expired and not revoked. */
    public Optional<User> user(String token) {
        return verify(token).filter(t -> !revoked.isRevoked(t.id())).map(Verified::user);
    }

    /** Signs out: the token is refused from now on, here and (with a persistent store) after a restart. */
    public void close(String token) {
        verify(token).ifPresent(t -> revoked.revoke(t.id(), t.expires()));
    }

    private record Verified(String id, Instant expires, User user) {
    }

    private Optional<Verified> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            byte[] given = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(given, mac(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            String[] f = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).split("\n", -1);
            if (f.length != 5) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(Long.parseLong(f[1]));
            if (!clock.instant().isBefore(expires)) {
                return Optional.empty();
            }
            return Optional.of(new Verified(f[0], expires, new User(f[2], Set.of(f[3].split(",")), Role.valueOf(f[4]))));
        } catch (IllegalArgumentException e) { // bad base64, number or role, or a user without wards: not our token
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "Sessions[ttl=" + ttl + "]";
    }
}
