package org.hypnostream.dashboard;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The dashboard configurations of the tests' servers (127.0.0.1, any port, no Kafka, the {@link TestUsers}). */
final class TestConfigs {
    private TestConfigs() {
    }

    /** For the REST tests: 12-hour sessions, 1000 events per push. */
    static DashboardConfig api(Path dir) throws IOException {
        return new DashboardConfig("unused:9092", "127.0.0.1", 0, TestUsers.write(dir), null, null,
                Duration.ofHours(12), Duration.ofSeconds(60), 1000, 1000, 20);
    }

    /** For the browser tests: 1-hour sessions, 100 events per push. */
    static DashboardConfig browser(Path dir) throws IOException {
        return new DashboardConfig("unused:9092", "127.0.0.1", 0, TestUsers.write(dir), null, null,
                Duration.ofHours(1), Duration.ofSeconds(60), 100, 1000, 20);
    }
}
