package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * Reports read the 5-minute rows label by label. Holding a whole month of every label at once
 * took over 100 bytes a row: the 60 labels here (536,000 rows) needed well over 50 MB, so a
 * report in a 32 MB JVM ran out of memory; read label by label it needs a few MB.
 */
class StreamingReportTest {

    static final int LABELS = 60;
    static final int BUCKETS = 31 * 288;
    static final Instant AS_OF = Instant.parse("2026-11-20T00:00:00Z");
    static final Map<String, List<String>> CUSTOMERS = Map.of("even", List.of("glob:customers:label-*0"),
            "odd", List.of("glob:customers:label-*1", "glob:customers:label-*3"));

    @TempDir
    Path dir;

    @Test
    void aMonthOfManyLabelsIsReportedInA32MegabyteHeap() throws Exception {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            fill(store);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), ReportChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child report finished").isTrue();
        assertThat(p.exitValue()).as("exit status of the report in -Xmx32m (3 is OutOfMemoryError)").isZero();
        // every label, and both customers' sums; BillingReportsTest pins the figures themselves
        for (int i = 0; i < LABELS; i++) {
            assertThat(out).contains("\"customers:label-" + i + "\"");
        }
        assertThat(out).contains("\"customer\" : \"even\"", "\"customer\" : \"odd\"");
    }

    static void fill(AccountingStore store) {
        store.inTransaction("host", c -> c.createStatement().executeUpdate("INSERT INTO pf_host (host, first_polled_at,"
                + " last_polled_at, ruleset_checksum, pf_since) VALUES ('fw1', TIMESTAMP WITH TIME ZONE"
                + " '2026-10-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', 'x', 0)"));
        store.inTransaction("labels", c -> c.createStatement().executeUpdate("INSERT INTO label_counters (host, anchor,"
                + " label, polled_at, rule_count, evaluations, packets_in, packets_out, bytes_in, bytes_out, states_total)"
                + " SELECT 'fw1', 'customers', CONCAT('label-', x), TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00',"
                + " 1, 0, 0, 0, 0, 0, 0 FROM SYSTEM_RANGE(0, " + (LABELS - 1) + ")"));
        // reports do not use this index; without it the rows go in twice as fast
        store.inTransaction("index", c -> c.createStatement().executeUpdate("DROP INDEX ix_usage_5m_bucket"));
        for (int from = 0; from < LABELS; from += 50) {
            int to = Math.min(LABELS, from + 50) - 1;
            String sql = insert(from, to, BUCKETS - 1);
            store.inTransaction("rows", c -> c.createStatement().executeUpdate(sql));
        }
    }

    /** As in BillingBenchmark: labels {@code from..to} on fw1, buckets 0..last from 1 October 2026. */
    static String insert(int from, int to, int last) {
        String bytes = "(1 + MOD(l.x * 1000003 + b.x * b.x * 7919 + MOD(b.x, 288) * 104729, 4294967291))";
        return "INSERT INTO usage_5m (host, anchor, label, bucket_start, packets_in, packets_out, bytes_in,"
                + " bytes_out, evaluations, states_created, states_max, polls, resets)"
                + " SELECT 'fw1', 'customers', CONCAT('label-', l.x),"
                + " TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00' + b.x * INTERVAL '300' SECOND, " + bytes + " / 900, "
                + bytes + " / 700, " + bytes + ", " + bytes + " / 3, 0, 0, 0, 30, 0"
                + " FROM SYSTEM_RANGE(" + from + ", " + to + ") AS l CROSS JOIN SYSTEM_RANGE(0, " + last + ") AS b";
    }

    static String json(AccountingStore store) {
        BillingReports reports = new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.of(CUSTOMERS),
                Clock.fixed(AS_OF, ZoneOffset.UTC));
        BillingReport r = reports.report(ReportQuery.of(BillingCycle.calendarMonthsUtc().period("2026-10")).withHost("fw1"));
        StringWriter w = new StringWriter();
        new JsonReportWriter().write(r, w);
        return w.toString();
    }

    /** Runs the report in a JVM of its own and prints it as JSON. */
    public static final class ReportChild {
        public static void main(String[] args) {
            try (AccountingStore store = AccountingStore.open(StoreConfig.h2(Path.of(args[0])))) {
                System.out.print(json(store));
                System.out.flush();
            }
        }

        private ReportChild() {
        }
    }

}
