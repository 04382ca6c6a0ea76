package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.hypnostream.common.review.ReviewEvent;
import org.hypnostream.common.review.ReviewEventType;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review in headless Debian chromium: a technologist jumps to the most doubtful epoch, re-stages it and sees the
 * model's stage beside the reviewed one; a physician cannot re-stage, signs; the HTML report shows the reviewed
 * statistics and the signature (screenshots: target/screenshots/review-bed-view.png, report.png).
 */
class ReviewBrowserTest {
    static final Path SHOTS = Paths.get("target", "screenshots");
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

    private Page signIn(String user) {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 1000));
        page.navigate("http://127.0.0.1:" + server.port() + "/#/bed/bed-1");
        page.fill("#login-user", user);
        page.fill("#login-password", TestUsers.PASSWORD);
        page.click("#login-submit");
        page.waitForSelector("#bed-review:not([hidden])");
        return page;
    }

    @Test
    void technologistRestagesTheMostDoubtfulEpochPhysicianSignsAndTheReportShowsIt() {
        Page tech = signIn("tech");
        assertThat(tech.locator("#review-status")).hasText("IN_REVIEW");
        tech.click("#btn-doubt");
        assertThat(tech.locator("#review-from")).hasValue("7");
        assertThat(tech.locator("#review-epochs tr[data-epoch=\"7\"]")).containsText("0.6");
        tech.selectOption("#review-stage", "N1");
        tech.click("#btn-restage");
        assertThat(tech.locator("#review-epochs tr[data-epoch=\"7\"].corrected")).containsText("N2");
        assertThat(tech.locator("#review-epochs tr[data-epoch=\"7\"] td:nth-child(4)")).hasText("N1");
        assertThat(tech.locator("#review-corrections tbody tr")).hasCount(1);
        assertThat(tech.locator("#review-strip rect[data-row=\"reviewed\"]")).hasCount(ReviewNight.EPOCHS);
        assertThat(tech.locator("#review-strip rect[data-corrected]")).hasCount(2); // epoch 7: reviewed and model cells
        assertThat(tech.locator("#review-sign")).isHidden();
        // the LM at 160 s (epoch 5): listed for that epoch, deleted: the series of 4 is gone
        tech.fill("#review-from", "5");
        tech.fill("#review-to", "5");
        assertThat(tech.locator("#review-legs tbody tr")).hasCount(1);
        tech.click("#review-legs .leg-delete");
        assertThat(tech.locator("#review-msg")).hasText("");
        assertThat(tech.locator("#review-corrections tbody tr")).hasCount(2);
        assertThat(tech.locator("#review-summary")).containsText("PLMS index 0/h");
        tech.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("review-bed-view.png")).setFullPage(true));

        Page doc = signIn("doc");
        assertThat(doc.locator("#review-correct")).isHidden();
        doc.fill("#review-interpretation", "Mild sleep fragmentation.");
        doc.click("#btn-sign");
        assertThat(doc.locator("#review-status")).hasText("SIGNED");
        assertThat(feed.written()).extracting(w -> ((ReviewEvent) w).type())
                .containsExactly(ReviewEventType.RESTAGE, ReviewEventType.DELETE_LEG, ReviewEventType.SIGN);

        String token = (String) doc.evaluate("() => sessionStorage.getItem('hs-token')");
        Page report = browser.newPage(new Browser.NewPageOptions().setViewportSize(1000, 1400)
                .setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token)));
        report.navigate("http://127.0.0.1:" + server.port() + "/api/beds/bed-1/report.html");
        assertThat(report.locator("#status")).containsText("SIGNED");
        assertThat(report.locator("#statistics")).containsText("tst_min");
        assertThat(report.locator("#corrections")).containsText("re-stage epoch 7");
        assertThat(report.locator("#signature")).containsText("signed by doc");
        boolean figures = (Boolean) report.evaluate("() => ['hypnogram', 'hypnodensity'].every(id => "
                + "document.getElementById(id).complete && document.getElementById(id).naturalWidth === 900)");
        assertThat(figures).as("both figures are drawn").isTrue();
        report.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("report.png")).setFullPage(true));
        report.close();
        doc.close();
        tech.close();
    }
}
