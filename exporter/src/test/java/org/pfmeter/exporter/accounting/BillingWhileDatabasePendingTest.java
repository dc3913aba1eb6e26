package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;

/**
 * The daemon with billing on a PostgreSQL server that cannot be reached at start (nothing listens on
 * 127.0.0.1:1): it starts and polls, and every billing path is a 503 naming the database and the
 * retry to a billing user (a 401 to anyone else), not the 404 of a daemon without billing.
 */
class BillingWhileDatabasePendingTest {

    static final String URL = "jdbc:postgresql://127.0.0.1:1/pfmeter";

    @TempDir
    Path dir;

    @Test
    void billingPathsAre503SayingTheDatabaseCannotBeReachedYetAfterAuthentication() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        Path bills = Files.writeString(dir.resolve("bills.conf"), """
                [bill acme]
                type  = quota
                quota = 1G
                label = glob:*
                """);
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), """
                accounting.host = fw1
                accounting.jdbc-url = %s
                accounting.jdbc-user = pfmeter
                http.billing-credentials = %s
                billing.bills = %s
                """.formatted(URL, users, bills))) {
            d.daemon.poller().pollOnce();
            assertThat(d.get("/-/ready").statusCode()).isEqualTo(200);
            assertThat(d.scrape().value("pfmeter_ledger_database_error", "kind", "unreachable")).contains(1.0);
            String alice = BillingAuthTest.basic("alice:correct horse");
            for (String path : List.of("/billing?month=2026-11", "/billing/usage?month=2026-11&label=x", "/billing/api/bills",
                    "/billing/api/bills/acme", "/billing/", "/billing/bill/acme")) {
                HttpResponse<String> anonymous = d.get(path);
                assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
                assertThat(anonymous.body()).as(path).doesNotContain("127.0.0.1", "database");
                HttpResponse<String> r = d.get(path, "Authorization", alice);
                assertThat(r.statusCode()).as(path).isEqualTo(503);
                assertThat(r.body()).as(path).startsWith("Billing unavailable: the accounting database " + URL
                        + " cannot be reached yet; pfmeter retries every ").endsWith(" s (the daemon's log says more)\n");
                assertThat(r.headers().firstValue("Retry-After")).as(path).hasValueSatisfying(v ->
                        assertThat(Long.parseLong(v)).isBetween(1L, 60L));
                assertThat(r.headers().firstValue("Cache-Control")).as(path).contains("no-store");
            }
            // not a billing path: as ever
            assertThat(d.get("/billing/elsewhere", "Authorization", alice).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutBillingUsersTheBillingPathsDoNotExistWhateverTheDatabase() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), """
                accounting.host = fw1
                accounting.jdbc-url = %s
                accounting.jdbc-user = pfmeter
                """.formatted(URL))) {
            d.daemon.poller().pollOnce();
            assertThat(d.get("/billing?month=2026-11").statusCode()).isEqualTo(404);
            assertThat(d.get("/billing/usage?month=2026-11&label=x").statusCode()).isEqualTo(404);
        }
    }
}
