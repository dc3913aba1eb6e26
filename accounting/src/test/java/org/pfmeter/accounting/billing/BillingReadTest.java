package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelCounters;

/**
 * Reports read each label's 5-minute rows bounded by the month, per host, from wherever the ledger
 * keeps them: closed buckets, and the bucket still open in the journal. Rows of other months, of
 * other hosts and of the same label on several hosts must land exactly where they belong. Written
 * by the real ledger; polls only where a row is wanted, so each poll books its delta into its own
 * slot.
 */
class BillingReadTest {

    private static final BillingPeriod OCTOBER = BillingCycle.calendarMonthsUtc().period("2026-10");

    @TempDir
    Path dir;

    private AccountingStore store;
    /** Per host and label, the cumulative counters handed to the ledger so far. */
    private final Map<String, long[]> counters = new HashMap<>();

    @BeforeEach
    void fill() {
        store = AccountingStore.open(StoreConfig.h2(dir));
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
        poll(ledger, "fw1", "2026-09-01T00:00:10Z", Map.of("web", 0L));
        poll(ledger, "fw2", "2026-09-01T00:00:10Z", Map.of("web", 0L, "mail", 0L));
        // the last slot of September and the first of November lie just outside October
        poll(ledger, "fw1", "2026-09-30T23:55:10Z", Map.of("web", 1_000_000L));
        poll(ledger, "fw1", "2026-10-01T00:00:10Z", Map.of("web", 100L));
        poll(ledger, "fw1", "2026-10-15T12:00:10Z", Map.of("web", 20L));
        poll(ledger, "fw1", "2026-10-31T23:55:10Z", Map.of("web", 3L));
        poll(ledger, "fw1", "2026-11-01T00:00:10Z", Map.of("web", 2_000_000L));
        poll(ledger, "fw1", "2026-11-02T00:00:10Z", Map.of("web", 0L));
        poll(ledger, "fw2", "2026-10-02T00:00:10Z", Map.of("mail", 50_000L));
        poll(ledger, "fw2", "2026-10-15T12:00:10Z", Map.of("web", 4_000L));
        // fw2's last poll: its bucket is still open, in the journal only
        poll(ledger, "fw2", "2026-10-20T12:00:10Z", Map.of("web", 9L));
    }

    /** One poll of {@code host}: each label's counters grow by its bytes in, a tenth of that in packets, 7 bytes out. */
    private void poll(Ledger ledger, String host, String at, Map<String, Long> bytesIn) {
        LabelCounters[] labels = new LabelCounters[host.equals("fw1") ? 1 : 2];
        List<String> names = host.equals("fw1") ? List.of("web") : List.of("web", "mail");
        for (int i = 0; i < names.size(); i++) {
            long[] c = counters.computeIfAbsent(host + " " + names.get(i), k -> new long[4]);
            long b = bytesIn.getOrDefault(names.get(i), 0L);
            if (b > 0) {
                c[0] += b / 10;
                c[1] += 1;
                c[2] += b;
                c[3] += 7;
            }
            labels[i] = label("", names.get(i), c[0], c[1], c[2], c[3]);
        }
        assertThat(ledger.record(host, snapshot(Instant.parse(at), "x", 1, labels)).error()).isEmpty();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Map<String, BillingReport.LabelLine> report(ReportQuery q) {
        BillingReports reports = new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
        return reports.report(q).labels().stream().collect(Collectors.toMap(BillingReport.LabelLine::name, Function.identity()));
    }

    @Test
    void theLastBucketOfAHostIsStillOpen() {
        List<BucketRows.Row> open = store.query("rows", c -> BucketRows.read(c, Optional.empty(), OCTOBER.start(), OCTOBER.end()))
                .stream().filter(BucketRows.Row::open).toList();
        assertThat(open).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("fw2");
            assertThat(r.bucket()).isEqualTo(Instant.parse("2026-10-20T12:00:00Z"));
        });
    }

    @Test
    void everyHostAddsItsRowsOfTheMonthAndNothingElse() {
        Map<String, BillingReport.LabelLine> all = report(ReportQuery.of(OCTOBER));
        assertThat(all.keySet()).containsExactlyInAnyOrder("web", "mail");
        assertThat(all.get("web").usage().bytesIn()).isEqualTo(100 + 20 + 3 + 4_000 + 9);
        assertThat(all.get("web").usage().packetsIn()).isEqualTo(10 + 2 + 0 + 400 + 0);
        assertThat(all.get("web").usage().bytesOut()).isEqualTo(5 * 7);
        assertThat(all.get("web").hosts()).containsExactly("fw1", "fw2");
        // both hosts' rows of 15 October 12:00 are one slot: the peak is their sum, in bits per second
        assertThat(all.get("web").usage().peakInBps()).isEqualTo(4_020 * 8 / 300.0);
        assertThat(all.get("mail").usage().bytesIn()).isEqualTo(50_000);
        assertThat(all.get("mail").hosts()).containsExactly("fw2");
    }

    @Test
    void oneHostReadsOnlyItsOwnRowsAndLabels() {
        Map<String, BillingReport.LabelLine> fw1 = report(ReportQuery.of(OCTOBER).withHost("fw1"));
        assertThat(fw1.keySet()).containsExactly("web");
        assertThat(fw1.get("web").usage().bytesIn()).isEqualTo(123);
        assertThat(fw1.get("web").hosts()).containsExactly("fw1");

        Map<String, BillingReport.LabelLine> fw2 = report(ReportQuery.of(OCTOBER).withHost("fw2"));
        assertThat(fw2.get("web").usage().bytesIn()).isEqualTo(4_009);
        assertThat(fw2.get("mail").usage().bytesIn()).isEqualTo(50_000);
    }

    @Test
    void theOpenBucketIsInTheExportToo() {
        UsageExport export = new UsageExport(store, CustomerMapping.empty(), Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"),
                ZoneOffset.UTC));
        UsageExport.Samples web = export.forLabel(OCTOBER, Optional.of("fw2"), "web");
        assertThat(web.samples()).filteredOn(s -> s.bytesIn() > 0).extracting(UsageExport.Sample::slotStart)
                .containsExactly(Instant.parse("2026-10-15T12:00:00Z"), Instant.parse("2026-10-20T12:00:00Z"));
        assertThat(web.samples()).filteredOn(s -> s.slotStart().equals(Instant.parse("2026-10-20T12:00:00Z")))
                .singleElement().satisfies(s -> assertThat(s.bytesIn()).isEqualTo(9));
    }
}
