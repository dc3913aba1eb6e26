package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;

/**
 * The billing pages without a browser (BillingPagesIT drives one): only the billing users see them,
 * they carry no inline script or style and their own Content-Security-Policy while every other path
 * keeps the strict one, text from the bills file is escaped, and the chart's library and the pages'
 * script and style come from the jar.
 */
class BillingPagesTest {

    @TempDir
    Path dir;

    @Test
    void pages_are_for_the_billing_users_with_scripts_only_from_the_daemon() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        Path bills = Files.writeString(dir.resolve("bills.conf"), """
                [bill transit]
                customer  = <script>alert(1)</script>
                type      = 95th
                commit    = 10M
                label     = glob:egress-*
                """);
        String auth = "Basic " + Base64.getEncoder().encodeToString("alice:correct horse".getBytes(StandardCharsets.UTF_8));
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "accounting.host = fw1\n"
                + "http.billing-credentials = " + users + "\nbilling.bills = " + bills + "\n")) {
            for (int i = 0; i < 4; i++) {
                d.daemon.poller().pollOnce();
                d.clock.advance(Duration.ofMinutes(5));
            }
            for (String path : new String[] {"/billing/", "/billing/bill/transit"}) {
                assertThat(d.get(path).statusCode()).as(path).isEqualTo(401);
                assertThat(d.get(path, "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "alice:wrong".getBytes(StandardCharsets.UTF_8))).statusCode()).as(path).isEqualTo(401);
                HttpResponse<String> r = d.get(path, "Authorization", auth);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(BillingPages.PAGE_CSP);
                assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
                assertThat(r.body()).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                        .doesNotContain("<style").doesNotContain(" style=").doesNotContain(" onload=").doesNotContain("http://")
                        .doesNotContain("https://");
                Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(r.body());
                while (scripts.find()) {
                    assertThat(scripts.group(1)).as("every script of %s is a file of the daemon or a data block", path)
                            .matches(" src=\"/billing/assets/[A-Za-z.]+\\.js\" defer| type=\"application/json\" id=\"usage-data\"");
                }
            }
            HttpResponse<String> page = d.get("/billing/bill/transit", "Authorization", auth);
            assertThat(page.body()).contains("data-commit=\"10000000\"").contains("/billing/api/bills/transit/usage?period=2026-11");
            assertThat(d.get("/billing/bill/nobody", "Authorization", auth).statusCode()).isEqualTo(404);
            assertThat(d.get("/billing/bill/transit?period=2027-01", "Authorization", auth).statusCode()).isEqualTo(400);

            for (String[] asset : new String[][] {{"uPlot.iife.min.js", "text/javascript"}, {"uPlot.min.css", "text/css"},
                    {"billing.js", "text/javascript"}, {"billing.css", "text/css"}}) {
                HttpResponse<String> a = d.get("/billing/assets/" + asset[0]);
                assertThat(a.statusCode()).as(asset[0]).isEqualTo(200);
                assertThat(a.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith(asset[1]));
                assertThat(a.body()).isNotBlank();
            }
            assertThat(d.get("/billing/assets/uPlot.iife.min.js").body()).contains("uPlot");
            assertThat(d.get("/billing/assets/../billing.users").statusCode()).isIn(400, 404);
            assertThat(d.get("/billing/assets/Daemon.class").statusCode()).isEqualTo(404);
            // every other path keeps the strict policy
            assertThat(d.get("/").headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
            assertThat(d.get("/billing/api/bills", "Authorization", auth).headers().firstValue("Content-Security-Policy"))
                    .hasValue("default-src 'none'; frame-ancestors 'none'");

            HttpResponse<String> usage = d.get("/billing/api/bills/transit/usage?format=csv", "Authorization", auth);
            assertThat(usage.statusCode()).isEqualTo(200);
            assertThat(usage.body()).startsWith("bill,slot_start,slot_start_local,bytes_in,bytes_out,packets_in,packets_out,"
                    + "rate_in_bps,rate_out_bps,has_data\r\n").contains(",true\r\n");
            assertThat(d.get("/billing/api/bills/transit/usage").statusCode()).isEqualTo(401);
            assertThat(d.get("/billing/api/bills/transit/usage?history=2", "Authorization", auth).statusCode()).isEqualTo(400);
            assertThat(d.get("/billing/api/bills/nobody/usage", "Authorization", auth).statusCode()).isEqualTo(404);
        }
    }
}
