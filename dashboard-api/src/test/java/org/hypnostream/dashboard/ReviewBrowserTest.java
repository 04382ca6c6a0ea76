package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
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
    @TempDir
    static Path dir;
    static MemoryFeed feed;
    static BrowserRig rig;

    @BeforeAll
    static void start() throws Exception {
        feed = new MemoryFeed();
        feed.publish(ReviewNight.events("bed-1", "ward-a").toArray());
        rig = BrowserRig.start(dir, feed, new ManualClock(ReviewNight.START.plusSeconds(3600)));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private Page signIn(String user) {
        Page page = rig.signIn("/#/bed/bed-1", user, 1280, 1000);
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
        tech.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("review-bed-view.png")).setFullPage(true));

        Page doc = signIn("doc");
        assertThat(doc.locator("#review-correct")).isHidden();
        doc.fill("#review-interpretation", "Mild sleep fragmentation.");
        doc.click("#btn-sign");
        assertThat(doc.locator("#review-status")).hasText("SIGNED");
        assertThat(feed.written()).extracting(w -> ((ReviewEvent) w).type())
                .containsExactly(ReviewEventType.RESTAGE, ReviewEventType.DELETE_LEG, ReviewEventType.SIGN);

        String token = (String) doc.evaluate("() => sessionStorage.getItem('hs-token')");
        Page report = rig.browser().newPage(new Browser.NewPageOptions().setViewportSize(1000, 1400)
                .setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token)));
        report.navigate(rig.url("/api/beds/bed-1/report.html"));
        assertThat(report.locator("#status")).containsText("SIGNED");
        assertThat(report.locator("#statistics")).containsText("tst_min");
        assertThat(report.locator("#corrections")).containsText("re-stage epoch 7");
        assertThat(report.locator("#signature")).containsText("signed by doc");
        boolean figures = (Boolean) report.evaluate("() => ['hypnogram', 'hypnodensity'].every(id => "
                + "document.getElementById(id).complete && document.getElementById(id).naturalWidth === 900)");
        assertThat(figures).as("both figures are drawn").isTrue();
        report.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("report.png")).setFullPage(true));
        report.close();
        doc.close();
        tech.close();
    }
}
