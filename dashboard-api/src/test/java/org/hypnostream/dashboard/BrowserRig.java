package org.hypnostream.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The browser tests' rig: a dashboard server ({@link TestConfigs#browser}) on a memory feed, and headless Debian
 * chromium to open its page and sign in.
 */
final class BrowserRig implements AutoCloseable {
    static final Path SHOTS = Paths.get("target", "screenshots");
    private final Vertx vertx;
    private final DashboardServer server;
    private final Playwright playwright;
    private final Browser browser;

    private BrowserRig(Vertx vertx, DashboardServer server, Playwright playwright, Browser browser) {
        this.vertx = vertx;
        this.server = server;
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Starts the server on {@code feed} with {@code clock}, then chromium; what started is closed if a step fails. */
    static BrowserRig start(Path dir, MemoryFeed feed, InstantSource clock) throws Exception {
        Vertx vertx = Vertx.vertx();
        DashboardServer server = null;
        Playwright playwright = null;
        try {
            server = DashboardServer.start(vertx, TestConfigs.browser(dir), feed, feed, clock).await();
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(Paths.get("/usr/bin/chromium"))
                    .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync")));
            return new BrowserRig(vertx, server, playwright, browser);
        } catch (Exception | Error e) {
            if (playwright != null) {
                playwright.close();
            }
            if (server != null) {
                server.close().await();
            }
            vertx.close().await();
            throw e;
        }
    }

    Vertx vertx() {
        return vertx;
    }

    int port() {
        return server.port();
    }

    Browser browser() {
        return browser;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** A new page of {@code width} x {@code height}. */
    Page page(int width, int height) {
        return browser.newPage(new Browser.NewPageOptions().setViewportSize(width, height));
    }

    /** A new page of {@code width} x {@code height} at {@code path}, {@code user} signing in. */
    Page signIn(String path, String user, int width, int height) {
        Page page = page(width, height);
        page.navigate(url(path));
        logIn(page, user, TestUsers.PASSWORD);
        return page;
    }

    /** Fills in the sign-in form of {@code page} and submits it. */
    static void logIn(Page page, String user, String password) {
        page.fill("#login-user", user);
        page.fill("#login-password", password);
        page.click("#login-submit");
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
        server.close().await();
        vertx.close().await();
    }
}
