package org.hypnostream.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed tokens: survive a restart on the same session directory, expire, stay signed out, refuse tampering. */
class SessionsTest {
    private static final Duration TTL = Duration.ofHours(12);
    private static final User NURSE = new User("nurse", Set.of("ward-a"));
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T20:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void aTokenSurvivesARestartOnTheSameDirectoryButNotWithoutOne() throws Exception {
        String token = Sessions.persistent(clock, TTL, dir).open(NURSE);
        Sessions restarted = Sessions.persistent(clock, TTL, dir);
        assertThat(restarted.user(token)).contains(NURSE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("session.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Sessions inMemory = new Sessions(clock, TTL);
        String memoryToken = inMemory.open(NURSE);
        assertThat(inMemory.user(memoryToken)).contains(NURSE);
        assertThat(new Sessions(clock, TTL).user(memoryToken)).as("in memory: a restart signs out").isEmpty();
        assertThat(Sessions.persistent(clock, TTL, dir.resolve("other")).user(token)).as("another key").isEmpty();
    }

    @Test
    void aTokenCarriesItsUsersRole() {
        Sessions s = Sessions.persistent(clock, TTL, dir);
        for (Role role : Role.values()) {
            User user = new User("u-" + role, Set.of("ward-a", "ward-b"), role);
            assertThat(Sessions.persistent(clock, TTL, dir).user(s.open(user))).as("%s after a restart", role).contains(user);
        }
    }

    @Test
    void aTokenExpiresAfterItsLifetimeAlsoAfterARestart() {
        Sessions s = Sessions.persistent(clock, TTL, dir);
        String token = s.open(NURSE);
        clock.advance(TTL.minusSeconds(1));
        assertThat(Sessions.persistent(clock, TTL, dir).user(token)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(s.user(token)).isEmpty();
        assertThat(Sessions.persistent(clock, TTL, dir).user(token)).isEmpty();
    }

    @Test
    void signOutSurvivesARestartAndTouchesNoOtherToken() throws Exception {
        Sessions s = Sessions.persistent(clock, TTL, dir);
        String signedOut = s.open(NURSE);
        String other = s.open(NURSE);
        s.close(signedOut);
        assertThat(s.user(signedOut)).isEmpty();
        Sessions restarted = Sessions.persistent(clock, TTL, dir);
        assertThat(restarted.user(signedOut)).as("signed out before the restart").isEmpty();
        assertThat(restarted.user(other)).contains(NURSE);
        assertThat(Files.readAllLines(dir.resolve("revoked-tokens"))).hasSize(1);
        clock.advance(TTL);
        Sessions.persistent(clock, TTL, dir);
        assertThat(Files.readAllLines(dir.resolve("revoked-tokens"))).as("expired revocations dropped at start").isEmpty();
    }

    @Test
    void instancesOnOneDirectoryShareTokensAndSeeEachOthersSignOuts() {
        Sessions a = Sessions.persistent(clock, TTL, dir);
        Sessions b = Sessions.persistent(clock, TTL, dir);
        String token = a.open(NURSE);
        String other = a.open(NURSE);
        assertThat(b.user(token)).contains(NURSE);
        a.close(token);
        assertThat(b.user(token)).as("signed out on the other instance").isEmpty();
        assertThat(b.user(other)).contains(NURSE);
        b.close(other);
        assertThat(a.user(other)).isEmpty();
    }

    @Test
    void aTamperedOrForeignTokenIsRefused() {
        Sessions s = Sessions.persistent(clock, TTL, dir);
        String token = s.open(NURSE);
        String[] p = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8);
        assertThat(payload).endsWith("\nnurse\nward-a\nNURSE");
        String admin = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\nward-a", "\n*").getBytes(StandardCharsets.UTF_8));
        assertThat(s.user(p[0] + "." + admin + "." + p[2])).as("wards changed").isEmpty();
        String technologist = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\nNURSE", "\nTECHNOLOGIST").getBytes(StandardCharsets.UTF_8));
        assertThat(s.user(p[0] + "." + technologist + "." + p[2])).as("role changed").isEmpty();
        assertThat(s.user(p[0] + "." + p[1] + "." + p[2].substring(1))).as("signature cut").isEmpty();
        assertThat(s.user("v2." + p[1] + "." + p[2])).isEmpty();
        assertThat(s.user("x".repeat(43))).isEmpty();
        assertThat(s.user("v1.!!.??")).isEmpty();
        assertThat(s.user(null)).isEmpty();
        assertThat(s.user(token)).as("the untouched token still works").contains(NURSE);
    }

    @Test
    void aDamagedKeyFileIsRefusedNamingIt() throws Exception {
        Files.writeString(dir.resolve("session.key"), "c2hvcnQ=\n");
        assertThatThrownBy(() -> Sessions.persistent(clock, TTL, dir)).hasMessageContaining("session.key")
                .hasMessageContaining("5 bytes");
    }
}
