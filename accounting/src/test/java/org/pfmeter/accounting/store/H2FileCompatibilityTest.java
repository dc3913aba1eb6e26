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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.pfmeter.accounting.billing.UsageExport;

/**
 * An H2 file written by the release before the dependency upgrade (H2 2.3.232, Flyway 10.20.1,
 * schema v3) opens through the normal store and bills to exactly what that release printed.
 *
 * <p>The resource {@code h2-2.3.232/pfmeter.mv.db.gz} is the database that release's {@code pfmeter
 * simulate --start 2026-09-29T00:00:00Z --days 3 --poll-interval 3600s --seed 14} wrote (a ruleset
 * reload on 2026-10-01 07:13, two sealed days, a month boundary), made smaller with H2 2.3.232's
 * {@code SHUTDOWN COMPACT}. {@code billing-2026-09.csv} and {@code billing-2026-10.csv} are that
 * release's {@code pfmeter billing --month …} output on the same file, unedited.
 *
 * <p>Since schema v4 a report measures its coverage, and that release's reports were wrong in two
 * columns on purpose corrected: it called both months {@code complete} although the file holds three
 * days polled hourly, and its 95th percentiles counted the slots nobody polled as zeros (all 0). Every
 * other column of that release's output must come out unchanged; {@code complete} is now false and
 * the percentiles are checked against the samples with data of {@code pfmeter usage}.
 */
class H2FileCompatibilityTest {

    private static final String FIXTURE = "/h2-2.3.232/";
    /** The old release printed its reports on 2026-12-03; both months were complete by then. */
    private static final Clock PRINTED_AT = Clock.fixed(Instant.parse("2026-12-03T07:33:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            // month, the sum of bytes_total over the 36 labels the old release printed, the slots with
            // a poll (one an hour: 29 September 01:00 to 2 October 00:00)
            "2026-09, 1716594812137, 48",
            "2026-10, 845142994615, 24"})
    void bills_the_old_file_exactly_as_the_old_release_did(String month, long oldBytesTotal, int polledSlots) throws IOException {
        unpackOldFile();
        BillingReport report;
        List<Double> p95FromSamples = new ArrayList<>();
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(store.schemaVersion()).isEqualTo("10");
            BillingCycle cycle = BillingCycle.calendarMonthsUtc();
            report = new BillingReports(store, cycle, CustomerMapping.empty(), PRINTED_AT)
                    .report(ReportQuery.of(cycle.period(month)));
            UsageExport export = new UsageExport(store, CustomerMapping.empty(), PRINTED_AT);
            for (BillingReport.LabelLine l : report.labels()) {
                List<UsageExport.Sample> s = export.forLabel(cycle.period(month), Optional.empty(), l.name()).samples();
                p95FromSamples.add(Math.max(p95(s, true), p95(s, false)));
            }
        }
        StringWriter csv = new StringWriter();
        new CsvReportWriter().write(report, csv);

        assertThat(report.ended()).isTrue();
        assertThat(report.complete()).isFalse();
        // migration V4 knows the old file's polls from its 5-minute rows: one slot an hour at most
        assertThat(report.coverage().polledSlots()).isEqualTo(polledSlots);
        assertThat(report.coverage().gaps()).isNotEmpty();
        assertThat(report.labels()).hasSize(36);
        assertThat(report.labels().stream().mapToLong(l -> l.usage().bytesTotal()).sum()).isEqualTo(oldBytesTotal);
        for (int i = 0; i < report.labels().size(); i++) {
            assertThat(report.labels().get(i).usage().p95Bps()).as(report.labels().get(i).name())
                    .isEqualTo(p95FromSamples.get(i));
        }

        String old = resource("billing-" + month + ".csv");
        assertThat(old).doesNotContain("\"");
        List<String[]> oldRows = rows(old);
        List<String[]> newRows = rows(csv.toString());
        assertThat(newRows).hasSameSizeAs(oldRows);
        List<String> oldHeader = List.of(oldRows.get(0));
        List<String> newHeader = List.of(newRows.get(0));
        assertThat(newHeader.subList(0, oldHeader.size())).isEqualTo(oldHeader);
        Set<String> corrected = Set.of("complete", "p95_in_bps", "p95_out_bps", "p95_bps", "p95");
        for (int r = 1; r < oldRows.size(); r++) {
            for (int c = 0; c < oldHeader.size(); c++) {
                if (!corrected.contains(oldHeader.get(c))) {
                    assertThat(newRows.get(r)[c]).as("row " + r + " " + oldHeader.get(c)).isEqualTo(oldRows.get(r)[c]);
                }
            }
            assertThat(newRows.get(r)[oldHeader.indexOf("complete")]).isEqualTo("false");
            assertThat(newRows.get(r)[newHeader.indexOf("ended")]).isEqualTo("true");
        }
    }

    private static List<String[]> rows(String csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.split("\r\n")) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    /** The 95th percentile in bit/s of the samples with data: skip the top 5 % rounded down, take the next. */
    private static double p95(List<UsageExport.Sample> samples, boolean in) {
        List<Long> v = new ArrayList<>();
        samples.stream().filter(UsageExport.Sample::hasData).forEach(s -> v.add(in ? s.bytesIn() : s.bytesOut()));
        v.sort(Collections.reverseOrder());
        return v.isEmpty() ? 0 : v.get(v.size() * 5 / 100) * 8.0 / 300;
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
