package org.hypnostream.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.time.Instant;
import org.hypnostream.common.event.AlarmNotice;
import org.hypnostream.common.event.Alert;
import org.hypnostream.common.event.AlertPriority;
import org.hypnostream.common.event.AlertState;
import org.hypnostream.common.event.LegSide;
import org.hypnostream.dashboard.eeg.EegFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The page in headless Debian chromium: sign in, live ward view, bed view, acknowledge, ward isolation; screenshots. */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {
    @TempDir
    static Path dir;
    static MemoryFeed feed;
    static BrowserRig rig;

    @BeforeAll
    static void start() throws Exception {
        feed = new MemoryFeed();
        feed.publish(TestEvents.bed("bed-1", "ward-a"), TestEvents.bed("bed-2", "ward-a"), TestEvents.bed("bed-3", "ward-a"),
                TestEvents.bed("bed-7", "ward-b"));
        for (long i = 0; i < 60; i++) {
            feed.publish(TestEvents.stage("bed-1", i), TestEvents.stage("bed-2", i + 7), TestEvents.stage("bed-7", i));
        }
        for (int k = 0; k < 6; k++) {
            feed.publish(TestEvents.leg("bed-1", k % 2 == 0 ? LegSide.LEFT : LegSide.RIGHT, 900 + 25 * k));
            feed.publish(TestEvents.plm("bed-1", "s1", k < 3 ? "CANDIDATE" : "CONFIRMED", 900 + 25 * k, k + 1, k + 1, 4.5 + k));
        }
        for (long i = 40; i < 60; i++) {
            feed.publish(EegFrame.from(TestEvents.epoch("bed-1", i, i == 59)));
        }
        feed.publish(TestEvents.alert("bed-1", "alarm-1", AlertPriority.HIGH, "PLMS_INDEX_HIGH"),
                TestEvents.alert("bed-2", "alarm-2", AlertPriority.MEDIUM, "LEG_CHANNEL_FLAT"),
                TestEvents.alert("bed-3", "alarm-3", AlertPriority.LOW, "STREAM_STALLED"));
        rig = BrowserRig.start(dir, feed, InstantSource.system());
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private Page signIn(String user) {
        Page page = rig.signIn("/", user, 1280, 900);
        return page;
    }

    private static int epochsShown(Page page, String bed) {
        return Integer.parseInt(page.getAttribute(".tile[data-bed=\"" + bed + "\"] .epochs", "data-count"));
    }

    @Test
    void nurseSeesWardLiveOpensBedAndAcknowledgesAlarm() {
        Page page = signIn("nurse");
        page.waitForSelector(".tile[data-bed=\"bed-3\"]");
        assertThat(page.locator(".tile")).hasCount(3);
        assertThat(page.locator(".tile[data-bed=\"bed-7\"]")).hasCount(0);
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .hypno canvas")).hasCount(1);
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .alarm.HIGH.flash")).hasCount(1);
        assertThat(page.locator(".tile[data-bed=\"bed-3\"] .stale-tag")).isVisible(); // no events since 2026-11-20
        int before = epochsShown(page, "bed-1");
        assertThat(before).isEqualTo(60);
        for (long i = 60; i < 70; i++) {
            feed.publish(TestEvents.stage("bed-1", i));
        }
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .epochs")).hasAttribute("data-count", "70");
        assertThat(page.locator(".tile[data-bed=\"bed-1\"] .stale-tag")).isHidden(); // it just got events
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("ward-view.png")).setFullPage(true));

        page.click(".tile[data-bed=\"bed-1\"]");
        page.waitForSelector("#bed-hypno canvas");
        assertThat(page.locator("#bed-title")).containsText("Bed 1");
        assertThat(page.locator("#bed-density canvas")).hasCount(1);
        assertThat(page.locator("#bed-plm")).containsText("PLMS");
        assertThat(page.locator("#bed-spec canvas")).hasCount(1);
        assertThat(page.locator("#bed-traces canvas")).hasCount(3);
        assertThat(page.locator("#bed-traces-info")).containsText("epoch 59");
        page.click("#bed-alarms .alarm[data-alert=\"alarm-1\"] button.ack");
        assertThat(page.locator("#bed-audit tbody")).containsText("nurse");
        assertThat(page.locator("#bed-audit tbody")).containsText("ACKNOWLEDGE");
        assertThat(page.locator("#bed-alarms .alarm[data-alert=\"alarm-1\"]")).containsText("ack nurse");
        assertThat(page.locator("#bed-alarms .alarm.flash")).hasCount(0);
        assertThat(feed.actions()).anyMatch(a -> a.user().equals("nurse") && a.alertId().equals("alarm-1"));
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("bed-view.png")).setFullPage(true));
        page.close();
    }

    /** The page opens its websocket with a one-time ticket: neither the token nor the ticket it used works again. */
    @Test
    void websocketUrlCarriesAOneTimeTicketNeverTheToken() {
        Page page = rig.page(1280, 900);
        List<String> urls = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onWebSocket(ws -> urls.add(ws.url()));
        page.navigate(rig.url("/"));
        BrowserRig.logIn(page, "nurse", TestUsers.PASSWORD);
        page.waitForSelector(".tile[data-bed=\"bed-1\"]");
        String token = (String) page.evaluate("sessionStorage.getItem('hs-token')");
        assertThat(urls).hasSize(1);
        String url = urls.get(0);
        assertThat(url).contains("/ws?ward=ward-a&ticket=").doesNotContain(token).doesNotContain("access_token");
        String query = url.substring(url.indexOf('?') + 1);
        assertThat(WsClient.handshakeStatus(rig.vertx(), rig.port(), query, null)).as("the page's ticket replayed").isEqualTo(401);
        page.close();
    }

    @Test
    void emgLabViewShowsTraceWindowProbabilitiesAndTheFinalVerdict() {
        Page page = signIn("nurse");
        page.waitForSelector(".tile[data-bed=\"bed-2\"]");
        page.click(".tile[data-bed=\"bed-2\"]");
        page.waitForSelector("#bed-hypno canvas");
        assertThat(page.locator("#bed-emg")).isHidden();
        for (long i = 0; i < 8; i++) {
            feed.publish(TestEvents.emgWindow("bed-2", "N2001A01BB01", i, 0.9, 0.8, false).toArray());
        }
        feed.publish(org.hypnostream.dashboard.eeg.EmgTrace.from(TestEvents.emgSegment("bed-2", "N2001A01BB01", 7)));
        assertThat(page.locator("#bed-emg")).isVisible();
        assertThat(page.locator("#bed-emg-verdict")).containsText("Running verdict: ALS (confidence 80.0 %)");
        assertThat(page.locator("#bed-emg-probs canvas")).hasCount(1);
        assertThat(page.locator("#bed-emg-trace canvas")).hasCount(1);
        assertThat(page.locator("#bed-emg-trace-info")).containsText("segment 7");
        assertThat(page.locator("#bed-emg-recording")).containsText("N2001A01BB01");
        feed.publish(TestEvents.emgWindow("bed-2", "N2001A01BB01", 8, 0.95, 0.86, true).toArray());
        assertThat(page.locator("#bed-emg-verdict")).containsText("Final verdict: ALS (confidence 86.0 %) after 9 windows");
        Object points = page.evaluate("() => document.querySelectorAll('#bed-emg-probs .u-legend .u-series').length");
        assertThat(((Number) points).intValue()).as("x + 3 class series in the legend").isEqualTo(4);
        page.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("emg-lab-view.png")).setFullPage(true));
        page.close();
    }

    @Test
    void userOfAnotherWardCannotSeeTheBed() {
        Page page = signIn("other");
        page.waitForSelector(".tile[data-bed=\"bed-7\"]");
        assertThat(page.locator(".tile")).hasCount(1);
        page.navigate(rig.url("/#/bed/bed-1"));
        page.waitForSelector("#bed", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.locator("#bed-hypno canvas")).hasCount(0);
        assertThat(page.locator("#bed-title")).not().containsText("Bed 1");
        String token = (String) page.evaluate("sessionStorage.getItem('hs-token')");
        Http http = new Http(rig.vertx(), rig.port());
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-1/night", token, null).status()).isEqualTo(404);
        assertThat(http.call(HttpMethod.GET, "/api/beds/bed-7/night", token, null).status()).isEqualTo(200);
        page.close();
    }

    /** ADR 0013: the escalation target sees the escalated alarm; reminders, escalation and the three actions are distinct. */
    @Test
    void escalatedAlarmReachesThePhysicianAndAudioPauseAcknowledgeAndAlarmOffAreDistinct() {
        Instant at = TestEvents.START.plusSeconds(900);
        Alert a = new Alert("alarm-4", "bed-3", true, "PLMS_INDEX_HIGH", AlertPriority.MEDIUM, AlertState.ACTIVE, "PLMS index high",
                at, at, null, null);
        feed.publish(a, new AlarmNotice("alarm-4:REMINDER:1", "alarm-4", "bed-3", a.code(), a.priority(), true, AlarmNotice.REMINDER, 1,
                null, null, at.plusSeconds(120), "system:alarm-escalation", "reminder"),
                new AlarmNotice("alarm-4:ESCALATED:1", "alarm-4", "bed-3", a.code(), a.priority(), true, AlarmNotice.ESCALATED, 1,
                        "physician", null, at.plusSeconds(600), "system:alarm-escalation", "unacknowledged 10 min"));
        Page nurse = signIn("nurse");
        nurse.navigate(rig.url("/#/bed/bed-3"));
        nurse.waitForSelector("#bed-alarms .alarm[data-alert=\"alarm-4\"]");
        assertThat(nurse.locator("#bed-alarms .alarm[data-alert=\"alarm-4\"] button.alarm-off")).hasCount(0);
        assertThat(nurse.locator("#bed-alarms .alarm[data-alert=\"alarm-4\"] button.silence")).hasCount(1);
        assertThat(nurse.locator("#escalations")).isHidden();
        nurse.close();

        Page doc = signIn("doc");
        assertThat(doc.locator("#escalations li")).containsText("bed-3");
        doc.click("#escalations a");
        doc.waitForSelector("#bed-alarms .alarm[data-alert=\"alarm-4\"]");
        var chip = doc.locator("#bed-alarms .alarm[data-alert=\"alarm-4\"]");
        assertThat(chip).containsText("escalated to physician");
        assertThat(chip).containsText("reminded 1x");
        assertThat(chip.locator("button.ack")).hasCount(1);
        assertThat(chip.locator("button.silence")).hasCount(1);
        assertThat(chip.locator("button.alarm-off")).hasCount(1);
        assertThat(doc.locator("#bed-audit tbody")).containsText("ESCALATED 1 to physician");
        chip.locator("button.silence").click();
        assertThat(chip).containsText("audio paused");
        assertThat(chip).not().containsText("ack doc");
        assertThat(feed.actions()).anyMatch(x -> x.user().equals("doc") && x.alertId().equals("alarm-4") && x.action().equals("SILENCE"));
        doc.screenshot(new Page.ScreenshotOptions().setPath(BrowserRig.SHOTS.resolve("escalated-alarm.png")).setFullPage(true));
        doc.close();
    }

    @Test
    void wrongPasswordShowsAnErrorAndNoData() {
        Page page = rig.browser().newPage();
        page.navigate(rig.url("/"));
        BrowserRig.logIn(page, "nurse", "not the password");
        assertThat(page.locator("#login-error")).containsText("wrong user name or password");
        assertThat(page.locator(".tile")).hasCount(0);
        page.close();
    }
}
