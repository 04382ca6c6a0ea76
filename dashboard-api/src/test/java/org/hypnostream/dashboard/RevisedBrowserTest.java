package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The morning re-score in headless Debian chromium: the bed view has no revised hypnogram until one is published;
 * when it arrives (websocket) it appears under the live one, labelled non-causal, and the review lists the epochs
 * where it differs from live with a third strip row (screenshot: target/screenshots/revised-bed-view.png); a
 * technologist asks for a re-score, which is no longer offered once the study is signed.
 */
class RevisedBrowserTest {
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

    @Test
    void thePublishedRevisedHypnogramAppearsBesideTheLiveOneAndInTheReview() {
        Page page = rig.signIn("/#/bed/bed-1", "tech", 1280, 1000);
        page.waitForSelector("#bed-review:not([hidden])");
        assertThat(page.locator("#review-epochs tr[data-epoch=\"7\"]")).hasCount(0);
        assertThat(page.locator("#bed-revised-block")).isHidden();
        assertThat(page.locator("#review-starting-point")).hasAttribute("data-from", "live");

        feed.publish(RevisedEndpointsTest.revised("bed-1", "S1", ReviewNight.EPOCHS));
        assertThat(page.locator("#bed-revised-block")).isVisible();
        assertThat(page.locator("#bed-revised-label")).hasText("revised (non-causal, morning re-score)");
        assertThat(page.locator("#bed-revised-info")).containsText("stager-features-welch-gru-v3");
        assertThat(page.locator("#bed-revised-info")).containsText("38 of 40 as live");
        assertThat(page.locator("#bed-revised .uplot")).hasCount(1);
        assertThat(page.locator("#review-summary")).containsText("2 epoch(s) differ from live");
        assertThat(page.locator("#review-epochs tr.revised-differs")).hasCount(2);
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"] td:nth-child(5)")).hasText("N1");
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"] td:nth-child(3)")).hasText("N2");
        // the review starts from the revised stages
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"] td:nth-child(4)")).hasText("N1");
        assertThat(page.locator("#review-epochs tr[data-epoch=\"20\"].corrected")).hasCount(0);
        assertThat(page.locator("#review-starting-point")).hasAttribute("data-from", "revised");
        assertThat(page.locator("#review-starting-point")).containsText("start from the revised (non-causal, morning re-score) hypnogram");
        assertThat(page.locator("#review-strip rect[data-row=\"revised\"]")).hasCount(ReviewNight.EPOCHS);

        // on demand: the technologist asks for the night so far; one request is written for the current study
        page.locator("#btn-rescore").click();
        assertThat(page.locator("#review-rescore-msg")).containsText("re-score asked");
        org.assertj.core.api.Assertions.assertThat(feed.written()).filteredOn(
                org.hypnostream.common.event.RescoreRequest.class::isInstance).singleElement()
                .satisfies(q -> org.assertj.core.api.Assertions.assertThat(
                        ((org.hypnostream.common.event.RescoreRequest) q).studyId()).isEqualTo("S1"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", "revised-bed-view.png"))
                .setFullPage(true));

        // once the physician signed (read back from review-events.v1), the study is not re-scored: no button
        assertThat(page.locator("#review-rescore")).isVisible();
        feed.publish(new org.hypnostream.common.review.ReviewEvent("sign-1", "bed-1", "S1",
                org.hypnostream.common.review.ReviewEventType.SIGN, "doc", ReviewNight.START.plusSeconds(3500), null,
                null, null, null, null, null, "Normal."));
        assertThat(page.locator("#review-status")).hasText("SIGNED");
        assertThat(page.locator("#review-rescore")).isHidden();
    }
}
