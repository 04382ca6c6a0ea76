package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning re-score in headless Debian chromium: the bed view has no revised hypnogram until one is published;
 * when it arrives (websocket) it appears under the live one, labelled non-causal, and the review lists the epochs
 * where it differs from live with a third strip row (screenshot: target/screenshots/revised-bed-view.png).
 */
class RevisedBrowserTest {
    @TempDir
    static Path dir;
    static Vertx vertx;
    static MemoryFeed feed;
    static DashboardServer server;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        feed = new MemoryFeed();
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        DashboardConfig cfg = new DashboardConfig("unused:9092", "127.0.0.1", 0, TestUsers.write(dir), null, null,
                Duration.ofHours(1), Duration.ofSeconds(60), 100, 1000, 20);
        server = DashboardServer.start(vertx, cfg, feed, feed, new ManualClock(ReviewNight.START.plusSeconds(3600))).await();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        server.close().await();
        vertx.close().await();
    }

    @Test
    void thePublishedRevisedHypnogramAppearsBesideTheLiveOneAndInTheReview() {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 1000));
        page.navigate("http://127.0.0.1:" + server.port() + "/#/bed/bed-1");
        page.fill("#login-user", "tech");
        page.fill("#login-password", TestUsers.PASSWORD);
        page.click("#login-submit");
        page.waitForSelector("#bed-review:not([hidden])");
        assertThat(page.locator("#review-epochs tr[data-epoch=\"7\"]")).hasCount(0);
        assertThat(page.locator("#bed-revised-block")).isHidden();

        feed.publish(RevisedEndpointsTest.revised("bed-1", "S1", ReviewNight.EPOCHS));
        assertThat(page.locator("#bed-revised-block")).isVisible();
        assertThat(page.locator("#bed-revised-label")).hasText("revised (non-causal, morning re-score)");
        assertThat(page.locator("#bed-revised-info")).containsText("stager-features-welch-gru-v3");
        assertThat(page.locator("#bed-revised-info")).containsText("38 of 40 as live");
        assertThat(page.locator("#bed-revised .uplot")).hasCount(1);
        assertThat(page.locator("#review-summary")).containsText("2 epoch(s) differ from live");
        assertThat(page.locator("#review-epochs tr.revised-differs")).hasCount(2);
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"] td:nth-child(5)")).hasText("N1");
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"] td:nth-child(4)")).hasText("N2");
        assertThat(page.locator("#review-strip rect[data-row=\"revised\"]")).hasCount(ReviewNight.EPOCHS);
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "revised-bed-view.png"))
                .setFullPage(true));
    }
}
