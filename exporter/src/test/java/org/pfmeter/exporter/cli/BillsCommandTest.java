package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pfmeter simulate --bills} stores the periods that closed during the run, and
 * {@code pfmeter bills} prints them beside the current period, as a table, CSV and JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillsCommandTest {

    static final String BILLS = """
            [bill acme]
            customer  = ACME Corp
            type      = 95th
            commit    = 1M
            direction = max
            anchor    = customers/acme

            [bill globex]
            customer  = @Globex
            type      = quota
            quota     = 1T
            day       = 31
            """;

    Path db;
    Path bills;
    CliTest.Result simulated;

    @BeforeAll
    void simulateThreeDaysAcrossAPeriodEnd(@TempDir Path tmp) throws Exception {
        db = tmp.resolve("db");
        bills = Files.writeString(tmp.resolve("bills.conf"), BILLS.replace("day       = 31\n", "anchor    = customers/globex*\n"));
        Path bad = Files.writeString(tmp.resolve("bad.conf"), BILLS);
        CliTest.Result refused = CliTest.run("simulate", "--days", "1", "--db", db.toString(), "--bills", bad.toString(), "--no-progress");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains(bad + ":12: day: 31 is not allowed").contains(bad + ":8: bill 'globex' has no members");
        simulated = CliTest.run("simulate", "--days", "3", "--start", "2026-10-30T00:00:00Z", "--poll-interval", "5m",
                "--db", db.toString(), "--bills", bills.toString(), "--no-progress");
    }

    @Test
    void simulate_stores_the_periods_that_closed() {
        assertThat(simulated.code()).as(simulated.err()).isZero();
        assertThat(simulated.out()).contains("bills of " + bills + ": 2 closed periods stored (acme 2026-10, globex 2026-10)");
    }

    @Test
    void bills_prints_the_closed_and_the_current_period() throws Exception {
        CliTest.Result table = CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(), "--history", "1");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).startsWith("bills as of 2026-11-02T00:00:00Z\n")
                .contains("bill acme (ACME Corp): 95th percentile (max), commit 1.00 Mbit/s, periods from day 1 UTC")
                .contains("bill globex (@Globex): quota 1.00 TB (total)")
                .containsPattern("\n  2026-10 closed +\\S")
                .containsPattern("\n  2026-11 current +\\S");

        JsonNode j = new ObjectMapper().readTree(CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(),
                "--bill", "acme", "--history", "1", "--format", "json").out());
        assertThat(j.get("as_of").asText()).isEqualTo("2026-11-02T00:00:00Z");
        JsonNode periods = j.get("bills").get(0).get("periods");
        assertThat(periods).hasSize(2);
        assertThat(periods.get(0).get("status").asText()).isEqualTo("closed");
        // 2 days of October from 2026-10-30 00:00 UTC polled every 5 minutes: every interval is a sample
        assertThat(periods.get(0).get("samples").asInt()).as("and the first poll's slot, 2026-10-29 23:55, a sample of 0").isEqualTo(2 * 288 + 1);
        assertThat(periods.get(0).get("period_intervals").asInt()).isEqualTo(31 * 288);
        assertThat(periods.get(1).get("status").asText()).isEqualTo("current");
        assertThat(periods.get(1).get("samples").asInt()).isEqualTo(288);

        CliTest.Result csv = CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(), "--period", "2026-10",
                "--format", "csv");
        String[] rows = csv.out().split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).startsWith("bill,customer,type,direction,commit_bits_per_second,quota_bytes,period,");
        assertThat(rows[2]).startsWith("globex,'@Globex,quota,total,,1000000000000,2026-10,");
    }

    @Test
    void bad_usage_is_refused_with_what_to_do() {
        CliTest.Result both = CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(), "--period", "2026-10",
                "--history", "2");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give --period or --history, not both");
        CliTest.Result unknown = CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(), "--bill", "nobody");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no bill 'nobody' in " + bills + "; its bills: acme, globex");
        CliTest.Result none = CliTest.run("bills", "--db", db.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("no bills file: give --bills FILE, or --config with billing.bills");
        CliTest.Result format = CliTest.run("bills", "--db", db.toString(), "--bills", bills.toString(), "--format", "xml");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("--format must be table, csv or json");
    }
}
