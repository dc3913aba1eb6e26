package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CsvReportWriter;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;

/**
 * An H2 file written by the release before the dependency upgrade (H2 2.3.232, Flyway 10.20.1,
 * schema v3) opens through the normal store and bills to exactly what that release printed.
 *
 * <p>The resource {@code h2-2.3.232/pfmeter.mv.db.gz} is the database that release's {@code pfmeter
 * simulate --start 2026-09-29T00:00:00Z --days 3 --poll-interval 3600s --seed 14} wrote (a ruleset
 * reload on 2026-10-01 07:13, two sealed days, a month boundary), made smaller with H2 2.3.232's
 * {@code SHUTDOWN COMPACT}. {@code billing-2026-09.csv} and {@code billing-2026-10.csv} are that
 * release's {@code pfmeter billing --month …} output on the same file, unedited.
 */
class H2FileCompatibilityTest {

    private static final String FIXTURE = "/h2-2.3.232/";
    /** The old release printed its reports on 2026-12-03; both months were complete by then. */
    private static final Clock PRINTED_AT = Clock.fixed(Instant.parse("2026-12-03T07:33:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            // month, the sum of bytes_total over the 36 labels the old release printed
            "2026-09, 1716594812137",
            "2026-10, 845142994615"})
    void bills_the_old_file_exactly_as_the_old_release_did(String month, long oldBytesTotal) throws IOException {
        unpackOldFile();
        BillingReport report;
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(store.schemaVersion()).isEqualTo("3");
            BillingCycle cycle = BillingCycle.calendarMonthsUtc();
            report = new BillingReports(store, cycle, CustomerMapping.empty(), PRINTED_AT)
                    .report(ReportQuery.of(cycle.period(month)));
        }
        StringWriter csv = new StringWriter();
        new CsvReportWriter().write(report, csv);

        assertThat(report.complete()).isTrue();
        assertThat(report.labels()).hasSize(36);
        assertThat(report.labels().stream().mapToLong(l -> l.usage().bytesTotal()).sum()).isEqualTo(oldBytesTotal);
        assertThat(csv.toString()).isEqualTo(resource("billing-" + month + ".csv"));
    }

    private void unpackOldFile() throws IOException {
        try (InputStream in = new GZIPInputStream(open("pfmeter.mv.db.gz"))) {
            Files.copy(in, dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db"));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream open(String name) {
        InputStream in = H2FileCompatibilityTest.class.getResourceAsStream(FIXTURE + name);
        assertThat(in).as("test resource " + FIXTURE + name).isNotNull();
        return in;
    }
}
