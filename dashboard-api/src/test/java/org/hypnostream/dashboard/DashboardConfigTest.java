package org.hypnostream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hypnostream.common.config.ConfigException;
import org.hypnostream.common.config.ConfigReader;
import org.hypnostream.dashboard.auth.Role;
import org.hypnostream.dashboard.auth.UserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardConfigTest {
    @TempDir
    Path dir;

    @Test
    void demoWritesAUsersFileWhoseDemoPasswordSignsIn() throws Exception {
        DashboardConfig.DemoLogin demo = DashboardConfig.demo(dir, "127.0.0.1:9092", 8080);
        assertThat(demo.config().httpHost()).isEqualTo("127.0.0.1");
        assertThat(demo.config().httpPort()).isEqualTo(8080);
        assertThat(Files.readString(demo.config().usersFile())).doesNotContain(demo.password());
        UserDirectory users = UserDirectory.load(demo.config().usersFile());
        assertThat(users.authenticate(demo.user(), demo.password()).orElseThrow().wards()).containsExactly("ward-a");
        assertThat(users.authenticate(demo.user(), demo.password()).orElseThrow().role()).isEqualTo(Role.NURSE);
        assertThat(users.authenticate("technologist", demo.password()).orElseThrow().role()).isEqualTo(Role.TECHNOLOGIST);
        assertThat(users.authenticate("physician", demo.password()).orElseThrow().role()).isEqualTo(Role.PHYSICIAN);
        assertThat(DashboardConfig.demo(dir.resolve("again"), "x:1", 0).password()).isNotEqualTo(demo.password());
    }

    @Test
    void configCollectsEveryProblem() {
        assertThatThrownBy(() -> DashboardConfig.from(ConfigReader.of(Map.of("dashboard.http.port", "99999",
                "dashboard.requests.per.second", "zero"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard.users.file")
                .hasMessageContaining("dashboard.http.port=99999").hasMessageContaining("dashboard.requests.per.second=zero");
        DashboardConfig c = DashboardConfig.from(ConfigReader.of(Map.of("dashboard.users.file", "u.txt")));
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.tlsKeyStore()).isNull();
        assertThat(DashboardConfig.describe()).contains("HYPNOSTREAM_DASHBOARD_HTTP_PORT");
    }
}
