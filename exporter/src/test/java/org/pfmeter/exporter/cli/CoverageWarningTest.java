package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code billing} and {@code usage} over a database with 4 days of October (simulated from
 * 2026-10-28 00:00:10 UTC, a poll every 5 minutes, one crash on 31 October at 09:00:40 that costs
 * the slots of 09:05 and 09:10): the report is printed, and stderr says how little of the month was
 * polled.
 */
class CoverageWarningTest {

    @TempDir
    static Path dir;

    static String db;

    @BeforeAll
    static void simulate() {
        db = dir.resolve("db").toString();
        CliTest.Result sim = CliTest.run("simulate", "--days", "4", "--start", "2026-10-28T00:00:10Z", "--poll-interval", "5m",
                "--db", db, "--no-progress");
        assertThat(sim.code()).as(sim.err()).isZero();
    }

    @Test
    void aMonthWithFourDaysOfDataIsBilledWithAWarningOnStderr() throws Exception {
        CliTest.Result bill = CliTest.run("billing", "--month", "2026-10", "--db", db, "--format", "json");
        assertThat(bill.code()).as(bill.err()).isZero();
        // one line for the report: every label lives on the one host, so no line of its own
        assertThat(bill.err()).isEqualTo("pfmeter: warning: billing 2026-10: polled 12.9% of the period (1150 of 8928 slots:"
                + " 4.0 of 31.0 days); gaps over 1h: 2026-10-01T00:00Z..2026-10-28T00:00Z; the 95th percentile covers only"
                + " the polled slots" + System.lineSeparator());
        JsonNode r = new ObjectMapper().readTree(bill.out());
        assertThat(r.path("complete").asBoolean()).isFalse();
        assertThat(r.path("ended").asBoolean()).isTrue();
        assertThat(r.path("coverage").path("polled_slots").asInt()).isEqualTo(1150);
        assertThat(r.path("coverage").path("gaps").get(0).path("start").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(r.path("coverage").path("gaps").get(0).path("end").asText()).isEqualTo("2026-10-28T00:00:00Z");
    }

    @Test
    void usageWarnsToo_andTheThresholdListsTheShortGapOfTheCrash() {
        CliTest.Result usage = CliTest.run("usage", "--month", "2026-10", "--db", db, "--label", "admin-ssh",
                "--gap-threshold", "5m");
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.err()).startsWith("pfmeter: warning: label admin-ssh: 2026-10: polled 12.9% of the period")
                .contains("gaps over 5m: 2026-10-01T00:00Z..2026-10-28T00:00Z 2026-10-31T09:05Z..2026-10-31T09:15Z;");
        assertThat(usage.out()).contains(",false\r\n").contains(",true\r\n");
    }

    @Test
    void aMonthBeforeAnyDataIsAnErrorWithExit2() {
        CliTest.Result bill = CliTest.run("billing", "--month", "2026-09", "--db", db);
        assertThat(bill.code()).isEqualTo(2);
        assertThat(bill.out()).isEmpty();
        assertThat(bill.err()).isEqualTo("pfmeter billing: billing month 2026-09 is before any data: the first poll was at"
                + " 2026-10-28T00:00:10Z, so the first month with data is 2026-10" + System.lineSeparator());
        CliTest.Result usage = CliTest.run("usage", "--month", "2026-09", "--db", db, "--label", "admin-ssh");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).contains("the first month with data is 2026-10");
    }

    @Test
    void aBadGapThresholdIsAUsageError() {
        CliTest.Result bill = CliTest.run("billing", "--month", "2026-10", "--db", db, "--gap-threshold", "32d");
        assertThat(bill.code()).isEqualTo(2);
        assertThat(bill.err()).contains("--gap-threshold").contains("0s to 31d");
    }
}
