package org.hypnostream.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.hypnostream.common.time.ManualClock;
import org.hypnostream.dashboard.TestEvents;
import org.hypnostream.dashboard.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void authenticatesWithPbkdf2AndKnowsWards() throws Exception {
        UserDirectory users = UserDirectory.load(TestUsers.write(dir));
        assertThat(users.size()).isEqualTo(5);
        User nurse = users.authenticate("nurse", TestUsers.PASSWORD).orElseThrow();
        assertThat(nurse.role()).as("no role field: nurse").isEqualTo(Role.NURSE);
        assertThat(users.authenticate("admin", TestUsers.PASSWORD).orElseThrow().role()).as("ward * without role").isEqualTo(Role.ADMIN);
        assertThat(users.authenticate("tech", TestUsers.PASSWORD).orElseThrow().role()).isEqualTo(Role.TECHNOLOGIST);
        assertThat(users.authenticate("doc", TestUsers.PASSWORD).orElseThrow().role()).isEqualTo(Role.PHYSICIAN);
        assertThat(nurse.wards()).containsExactly("ward-a");
        assertThat(nurse.maySee("ward-a")).isTrue();
        assertThat(nurse.maySee("ward-b")).isFalse();
        assertThat(users.authenticate("nurse", TestUsers.PASSWORD + "x")).isEmpty();
        assertThat(users.authenticate("nobody", TestUsers.PASSWORD)).isEmpty();
        assertThat(users.authenticate("nurse", "p".repeat(300))).isEmpty();
        assertThat(Files.readString(dir.resolve("users.txt"))).doesNotContain(TestUsers.PASSWORD);
    }

    @Test
    void aBadFileIsRefusedNamingFileAndLines() throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "# comment\nnurse:ward-a:10000:AAAA:BBBB\nonly:three:fields\n"
                + UserDirectory.line("low", Set.of("w"), "pw".toCharArray(), 10_000).replace(":10000:", ":500:") + "\n"
                + UserDirectory.line("boss", Set.of("w"), "pw".toCharArray(), 10_000) + ":chief\n");
        assertThatThrownBy(() -> UserDirectory.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f + " line 2").hasMessageContaining("line 3: expected name:wards")
                .hasMessageContaining("line 4: user low: 500 iterations")
                .hasMessageContaining("line 5: user boss: unknown role 'chief' (nurse, technologist, physician or admin)");
    }

    @Test
    void sessionsExpireAndRateLimiterRefills() {
        ManualClock clock = new ManualClock(TestEvents.START);
        Sessions s = new Sessions(clock, Duration.ofMinutes(10));
        String t = s.open(new User("nurse", Set.of("ward-a")));
        assertThat(s.user(t)).isPresent();
        clock.advance(Duration.ofMinutes(10));
        assertThat(s.user(t)).isEmpty();
        RateLimiter r = new RateLimiter(clock, 1, 2);
        assertThat(r.tryAcquire("ip")).isTrue();
        assertThat(r.tryAcquire("ip")).isTrue();
        assertThat(r.tryAcquire("ip")).isFalse();
        assertThat(r.tryAcquire("other")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.tryAcquire("ip")).isTrue();
    }
}
