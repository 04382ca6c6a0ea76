package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.nio.file.Path;
import org.hypnostream.common.study.Admission;
import org.hypnostream.common.study.BedsideEvent;
import org.hypnostream.common.study.Population;
import org.hypnostream.common.study.StudyEvent;
import org.hypnostream.common.study.StudyEventType;
import org.hypnostream.common.study.StudyProtocol;
import org.hypnostream.common.time.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study in headless Debian chromium: a nurse marks lights-off, adds a bedside event, sees both on the hypnogram's
 * time axis and in the statistics, and cannot end the study (no button; the API answers 403).
 */
class StudyBrowserTest {
    @TempDir
    static Path dir;
    static MemoryFeed feed;
    static BrowserRig rig;

    @BeforeAll
    static void start() throws Exception {
        feed = new MemoryFeed();
        feed.publish(TestEvents.bed("bed-1", "ward-a"));
        // admitted by a technologist before the page opens (on the topic, not through this dashboard)
        for (long i = 0; i < 60; i++) {
            feed.publish(TestEvents.stage("bed-1", i));
        }
        feed.publish((Object) new StudyEvent("adm-1", "bed-1", "S-1", StudyEventType.ADMITTED, "tech", TestEvents.START.minusSeconds(300),
                TestEvents.START.minusSeconds(300), new Admission("P-0042", StudyProtocol.PLM_STUDY, "WASM2016", Population.ADULT),
                null, null));
        // the server's clock: 20 min into the night, so that marks made "now" fall inside the 30-min hypnogram
        ManualClock clock = new ManualClock(TestEvents.START.plusSeconds(1200));
        rig = BrowserRig.start(dir, feed, clock);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void nurseMarksLightsOffAddsAnEventSeesItOnTheHypnogramAndCannotEndTheStudy() {
        Page page = rig.signIn("/", "nurse", 1280, 1000);
        page.waitForSelector(".tile[data-bed=\"bed-1\"]");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .study-state")).hasText("admitted");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .se")).containsText("lights-off assumed");
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("study-ward-view.png")));
        page.click(".tile[data-bed=\"bed-1\"] .hypno");
        page.waitForSelector("#bed-hypno canvas");
        assertThat(page.locator("#bed-study-state")).hasText("admitted");
        assertThat(page.locator("#btn-end")).isHidden();
        assertThat(page.locator("#admit-form")).isHidden();
        assertThat(page.locator("#bed-stats")).containsText("first epoch assumed");

        page.click("#btn-lights-off");
        assertThat(page.locator("#bed-study-state")).hasText("lights off");
        assertThat(page.locator("#bed-hypno .ev-mark[data-type=\"LIGHTS_OFF\"]")).hasCount(1);
        assertThat(page.locator("#bed-stats")).not().containsText("assumed");
        assertThat(page.locator("#bed-stats tr[data-stat=\"Lights off\"]")).containsText("2026-11-20 22:20:00");

        page.selectOption("#event-type", "BATHROOM_BREAK");
        page.fill("#event-text", "back in bed");
        page.click("#btn-event");
        assertThat(page.locator("#bed-hypno .ev-mark[data-type=\"BATHROOM_BREAK\"]")).hasCount(1);
        assertThat(page.locator("#bed-hypno .ev-mark[data-type=\"BATHROOM_BREAK\"]")).hasAttribute("title", "Bathroom break: back in bed (nurse)");
        assertThat(page.locator("#bed-events tbody")).containsText("Bathroom break: back in bed");
        double left = (Double) page.evaluate("() => parseFloat(document.querySelector('#bed-hypno .ev-mark[data-type=BATHROOM_BREAK]').style.left)");
        double width = ((Number) page.evaluate("() => document.querySelector('#bed-hypno .u-over').clientWidth")).doubleValue();
        // 20 of the hypnogram's 29.5 minutes (epoch starts 0 .. 59 x 30 s)
        assertThat(left / width).as("the event sits at its time on the hypnogram's axis").isBetween(0.6, 0.75);

        assertThat(page.locator("#btn-end")).isHidden();
        Object status = page.evaluate("() => fetch('/api/beds/bed-1/study/end', {method: 'POST', headers: {'Content-Type': "
                + "'application/json', Authorization: 'Bearer ' + sessionStorage.getItem('hs-token')}, body: '{}'}).then(r => r.status)");
        assertThat(((Number) status).intValue()).as("a nurse may not end the study").isEqualTo(403);
        assertThat(feed.written()).extracting(w -> w instanceof StudyEvent e ? e.type().name() : ((BedsideEvent) w).type().name())
                .containsExactly("LIGHTS_OFF", "BATHROOM_BREAK");
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("study-bed-view.png")).setFullPage(true));
        page.click("#back");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .study-state")).hasText("lights off");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .tst")).containsText("TST");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .tile-lights")).hasText("Lights on");
        page.close();
    }
}
