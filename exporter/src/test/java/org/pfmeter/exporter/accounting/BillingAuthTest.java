package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;

/**
 * The billing endpoint over HTTP: every failed authentication (no header, another scheme, garbage,
 * an unknown user, a wrong password) is the same 401 to the byte, and billing answers are never
 * cached.
 */
class BillingAuthTest {

    @TempDir
    Path dir;

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyFailedAuthenticationLooksTheSameAndNothingIsCached() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "http.billing-credentials = " + users + "\n")) {
            d.daemon.poller().pollOnce();
            HttpResponse<String> reference = d.get("/billing?month=2026-11");
            assertThat(reference.statusCode()).isEqualTo(401);
            assertThat(reference.body()).isEqualTo("authentication required\n");
            Map<String, List<String>> expected = withoutDate(reference.headers().map());
            assertThat(expected).containsKeys("www-authenticate", "cache-control", "x-content-type-options", "content-security-policy");
            for (String header : List.of(basic("alice:wrong"), basic("mallory:wrong"), basic("mallory:correct horse"),
                    basic("alice"), basic(":"), "Basic ***", "Bearer abc", "basic " + basic("alice:wrong").substring(6))) {
                for (String path : List.of("/billing?month=2026-11", "/billing/usage?month=2026-11&label=x")) {
                    HttpResponse<String> r = d.get(path, "Authorization", header);
                    assertThat(r.statusCode()).as(header).isEqualTo(401);
                    assertThat(r.body()).as(header).isEqualTo(reference.body());
                    assertThat(withoutDate(r.headers().map())).as(header).isEqualTo(expected);
                }
            }
            HttpResponse<String> ok = d.get("/billing?month=2026-11", "Authorization", basic("alice:correct horse"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(ok.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            HttpResponse<String> bad = d.get("/billing?month=13", "Authorization", basic("alice:correct horse"));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void aMonthBeforeAnyDataIs404NamingTheFirstMonthWithData_andReportsCarryTheirCoverage() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "http.billing-credentials = " + users
                + "\nbilling.gap-threshold = 30m\n")) {
            d.daemon.poller().pollOnce();
            String auth = basic("alice:correct horse");
            HttpResponse<String> before = d.get("/billing?month=2026-10", "Authorization", auth);
            assertThat(before.statusCode()).isEqualTo(404);
            assertThat(before.body()).startsWith("billing month 2026-10 is before any data: the first poll was at ")
                    .endsWith(", so the first month with data is 2026-11\n");
            assertThat(d.get("/billing/usage?month=2026-10&label=x", "Authorization", auth).statusCode()).isIn(400, 404);
            HttpResponse<String> json = d.get("/billing?month=2026-11&format=json", "Authorization", auth);
            assertThat(json.statusCode()).isEqualTo(200);
            com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.body());
            assertThat(r.path("gap_threshold_seconds").asLong()).isEqualTo(1800);
            assertThat(r.path("complete").asBoolean()).isFalse();
            // the daemon first polled on 2 November at 09:00: the month's first 33 hours are a gap
            assertThat(r.path("coverage").path("gaps").get(0).path("start").asText()).isEqualTo("2026-11-01T00:00:00Z");
        }
    }

    private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
        Map<String, List<String>> m = new java.util.TreeMap<>(headers);
        m.remove("date");
        return m;
    }
}
