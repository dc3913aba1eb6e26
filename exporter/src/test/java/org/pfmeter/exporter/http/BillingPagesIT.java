package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pfmeter.exporter.TestDaemon;

/**
 * The billing pages in a real browser: Debian's headless Chromium, driven through chromedriver,
 * against the daemon over the simulated pf, at a phone's width (375 px). The pages load without a
 * console error (a Content-Security-Policy violation is one), the points the chart draws equal the
 * bill's usage export, every figure printed equals the bills CSV, and without credentials nothing
 * is shown. Fails when chromium or chromedriver is missing unless {@code -Dpfmeter.browser.skip=true}
 * ({@code -Dpfmeter.chromium=…} and {@code -Dpfmeter.chromedriver=…} name other binaries).
 */
class BillingPagesIT {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse";

    @TempDir
    Path dir;

    @Test
    void the_pages_draw_the_usage_export_and_print_the_csv_figures_only_for_the_billing_users() throws Exception {
        assumeFalse(Boolean.getBoolean("pfmeter.browser.skip"), "browser test skipped by -Dpfmeter.browser.skip=true");
        Path chromium = Path.of(System.getProperty("pfmeter.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("pfmeter.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            fail(chromium + " or " + chromedriver + " is missing: install the Debian packages chromium and chromium-driver"
                    + " (.ci/run does), or skip this test explicitly with -Dpfmeter.browser.skip=true");
        }
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line(USER, PASSWORD.toCharArray()) + "\n");
        Path bills = Files.writeString(dir.resolve("bills.conf"), """
                [bill transit]
                customer  = Transit & <Co>
                type      = 95th
                commit    = 10M
                label     = glob:egress-*

                [bill acme]
                customer  = acme
                type      = quota
                quota     = 1G
                anchor    = customers/acme
                """);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        try (TestDaemon d = TestDaemon.start(data, "accounting.host = fw1\nhttp.billing-credentials = " + users
                + "\nbilling.bills = " + bills + "\n")) {
            for (int i = 0; i < 36; i++) {              // three hours of 5-minute polls
                d.daemon.poller().pollOnce();
                d.clock.advance(Duration.ofMinutes(5));
            }
            String origin = "127.0.0.1:" + d.daemon.httpPort();
            String auth = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(d.get("/billing/").statusCode()).isEqualTo(401);
            assertThat(d.get("/billing/bill/transit").statusCode()).isEqualTo(401);
            assertThat(d.get("/billing/bill/transit", "Authorization", auth).headers().firstValue("Content-Security-Policy"))
                    .hasValue(BillingPages.PAGE_CSP);
            assertThat(d.get("/metrics").headers().firstValue("Content-Security-Policy"))
                    .hasValue("default-src 'none'; frame-ancestors 'none'");

            WebDriver browser = chromium(chromium, chromedriver, profile);
            try {
                // without credentials: refused, nothing of the bills on the page
                browser.get("http://" + origin + "/billing/bill/transit");
                assertThat(browser.findElements(By.id("history"))).isEmpty();
                assertThat(browser.getPageSource()).doesNotContain("Transit").doesNotContain("egress");
                drainConsole(browser);

                String base = "http://" + USER + ":" + PASSWORD.replace(" ", "%20") + "@" + origin;
                browser.get(base + "/billing/");
                List<WebElement> rows = browser.findElements(By.cssSelector("#bills tbody tr"));
                assertThat(rows).extracting(r -> r.getAttribute("data-bill")).containsExactly("transit", "acme");
                assertThat(browser.findElement(By.cssSelector("#bills tbody tr td:nth-child(2)")).getText()).isEqualTo("Transit & <Co>");
                assertNoConsoleErrors(browser, "/billing/");
                assertFitsThePhone(browser);

                for (String bill : List.of("transit", "acme")) {
                    browser.get(base + "/billing/bill/" + bill);
                    new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> (Boolean) ((JavascriptExecutor) b)
                            .executeScript("var c = document.getElementById('chart'); return !!(c && c.pfChart);"));
                    assertNoConsoleErrors(browser, "/billing/bill/" + bill);
                    assertFitsThePhone(browser);
                    assertThat(browser.findElement(By.cssSelector("meta[name=viewport]")).getAttribute("content"))
                            .contains("width=device-width");
                    assertChartEqualsTheUsageExport(browser, d, bill, auth);
                    assertFiguresEqualTheCsv(browser, d, bill, auth);
                    if (System.getProperty("pfmeter.browser.screenshots") != null) {   // to look at the pages
                        Path png = Path.of(System.getProperty("pfmeter.browser.screenshots"), bill + ".png");
                        Files.write(png, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
                    }
                }
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium(Path chromium, Path chromedriver, Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=375,812");
        // headless windows are at least 500 px wide: a phone's viewport (an iPhone's 375 px) is emulated
        o.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics", Map.of("width", 375, "height", 812, "pixelRatio", 2.0)));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    private static void drainConsole(WebDriver browser) {
        browser.manage().logs().get(LogType.BROWSER);
    }

    private static void assertNoConsoleErrors(WebDriver browser, String page) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertThat(errors).as("console of %s", page).isEmpty();
    }

    /** At 375 px the page itself does not scroll sideways (wide tables scroll in their own box). */
    private static void assertFitsThePhone(WebDriver browser) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long inner = ((Number) js.executeScript("return window.innerWidth;")).longValue();
        long scroll = ((Number) js.executeScript("return document.documentElement.scrollWidth;")).longValue();
        assertThat(inner).isLessThanOrEqualTo(400);
        assertThat(scroll).as("page width at a window %d px wide", inner).isLessThanOrEqualTo(inner);
    }

    @SuppressWarnings("unchecked")
    private static void assertChartEqualsTheUsageExport(WebDriver browser, TestDaemon d, String bill, String auth) throws Exception {
        List<List<Object>> chart = (List<List<Object>>) ((JavascriptExecutor) browser)
                .executeScript("return document.getElementById('chart').pfChart.data;");
        HttpResponse<String> r = d.get("/billing/api/bills/" + bill + "/usage?format=csv", "Authorization", auth);
        assertThat(r.statusCode()).isEqualTo(200);
        List<Map<String, String>> usage = csv(r.body());
        assertThat(usage).hasSizeGreaterThan(300);         // the period from the 1st on, most of it before the first poll
        assertThat(usage.stream().filter(u -> u.get("has_data").equals("true")).count()).isGreaterThanOrEqualTo(30);
        assertThat(usage.stream().filter(u -> !u.get("bytes_in").equals("0")).count()).isPositive();
        assertThat(chart.get(0)).hasSameSizeAs(usage);
        for (int i = 0; i < usage.size(); i++) {
            Map<String, String> u = usage.get(i);
            assertThat(((Number) chart.get(0).get(i)).longValue()).isEqualTo(Instant.parse(u.get("slot_start")).getEpochSecond());
            if (u.get("has_data").equals("true")) {
                assertThat(((Number) chart.get(1).get(i)).doubleValue()).as("in at %s", u.get("slot_start"))
                        .isCloseTo(Double.parseDouble(u.get("rate_in_bps")), org.assertj.core.data.Offset.offset(0.0005));
                assertThat(((Number) chart.get(2).get(i)).doubleValue()).as("out at %s", u.get("slot_start"))
                        .isCloseTo(Double.parseDouble(u.get("rate_out_bps")), org.assertj.core.data.Offset.offset(0.0005));
            } else {
                assertThat(chart.get(1).get(i)).as("a gap at %s", u.get("slot_start")).isNull();
                assertThat(chart.get(2).get(i)).isNull();
            }
        }
        Map<String, String> current = csv(d.get("/billing/api/bills/" + bill + "?format=csv", "Authorization", auth).body()).get(0);
        if (current.get("type").equals("95th")) {
            assertThat(chart).hasSize(5);
            assertThat(chart.get(3)).allSatisfy(v -> assertThat(((Number) v).doubleValue())
                    .isEqualTo(Double.parseDouble(current.get("p95_bits_per_second"))));
            assertThat(chart.get(4)).allSatisfy(v -> assertThat(((Number) v).doubleValue())
                    .isEqualTo(Double.parseDouble(current.get("commit_bits_per_second"))));
        } else {
            assertThat(chart).hasSize(3);
        }
    }

    private static void assertFiguresEqualTheCsv(WebDriver browser, TestDaemon d, String bill, String auth) throws Exception {
        List<Map<String, String>> periods = csv(d.get("/billing/api/bills/" + bill + "?history=" + BillingPages.HISTORY
                + "&format=csv", "Authorization", auth).body());
        List<WebElement> rows = browser.findElements(By.cssSelector("#history tbody tr"));
        assertThat(rows).hasSize(periods.size());
        int cells = 0;
        for (WebElement row : rows) {
            String period = row.getAttribute("data-period");
            Map<String, String> expected = periods.stream().filter(p -> p.get("period").equals(period)).findFirst()
                    .orElseThrow(() -> new AssertionError("period " + period + " is not in the CSV"));
            for (WebElement cell : row.findElements(By.cssSelector("td[data-col]"))) {
                String col = cell.getAttribute("data-col");
                assertThat(cell.getText().replace(" ", "")).as("%s %s of %s", col, period, bill).isEqualTo(expected.get(col));
                cells++;
            }
        }
        assertThat(cells).isGreaterThan(periods.size() * 6);
        String total = browser.findElement(By.cssSelector("#history tbody tr.shown td[data-col=bytes_total]")).getText();
        assertThat(Long.parseLong(total.replace(" ", ""))).isPositive();
    }

    /** A CSV with a header line, as the API writes it (no quoted fields in these columns). */
    private static List<Map<String, String>> csv(String body) {
        String[] lines = body.split("\r\n");
        String[] names = lines[0].split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            Map<String, String> m = new HashMap<>();
            for (int j = 0; j < names.length; j++) {
                m.put(names[j], cells[j]);
            }
            rows.add(m);
        }
        return rows;
    }
}
