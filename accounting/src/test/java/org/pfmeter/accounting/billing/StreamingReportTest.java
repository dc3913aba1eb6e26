package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.JournalEntry;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelKey;

/**
 * Reports hand labels over one by one. Holding a whole month of every label at once took over 100
 * bytes a row: the 60 labels here (536,000 rows) needed well over 50 MB, so a report in a 32 MB
 * JVM ran out of memory. Read label by label it needs a few MB: from sealed days one label at a
 * time, and from unsealed 5-minute rows (here the whole month) in chunks of labels that fit the
 * tail budget (an eighth of the heap).
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
    void aMonthOfManyLabelsIsReportedInA32MegabyteHeapFromFiveMinuteRowsAndFromSealedDays() throws Exception {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            fill(store);
        }
        // nothing sealed: the whole month is the tail read from usage_5m, chunk by chunk
        String unsealed = reportIn32Megabytes();
        for (int i = 0; i < LABELS; i++) {
            assertThat(unsealed).contains("\"customers:label-" + i + "\"");
        }
        assertThat(unsealed).contains("\"customer\" : \"even\"", "\"customer\" : \"odd\"");

        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            LedgerStore tables = new LedgerStore(store);
            while (tables.sealNextDay("fw1", AS_OF).isPresent()) {
                // one UTC day a call
            }
        }
        // every day sealed: read from usage_5m_day label by label; the same report
        assertThat(reportIn32Megabytes()).isEqualTo(unsealed);
    }

    /** The October report of {@link #json}, made by a JVM with a 32 MB heap. */
    private String reportIn32Megabytes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                System.getProperty("java.class.path"), ReportChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child report finished").isTrue();
        assertThat(p.exitValue()).as("exit status of the report in -Xmx32m (3 is OutOfMemoryError)").isZero();
        return out;
    }

    /**
     * Through the ledger's store: a first poll that numbers the labels, then every bucket of
     * October closed with a row for every label (the same integers as BillingBenchmark).
     */
    static void fill(AccountingStore store) {
        LedgerStore tables = new LedgerStore(store);
        List<JournalEntry> first = new ArrayList<>();
        for (int l = 0; l < LABELS; l++) {
            first.add(new JournalEntry(key(l), new Counters(1, 0, 0, 0, 0, 0, 0), Optional.empty()));
        }
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        tables.writePoll(new LedgerStore.PollWrite("fw1", start, "x", 0, Optional.empty(), true, first, List.of()));
        for (int b = 0; b < BUCKETS; b++) {
            Map<SeriesKey, SlotUsage> usage = new HashMap<>();
            for (int l = 0; l < LABELS; l++) {
                long bytes = 1 + Math.floorMod(l * 1_000_003L + (long) b * b * 7_919 + (b % 288) * 104_729L, 4_294_967_291L);
                usage.put(SeriesKey.label(key(l)), new SlotUsage(bytes / 900, bytes / 700, bytes, bytes / 3, 0, 0, 0, 30, 0));
            }
            tables.closeBucket("fw1", start.plus(SlotGrid.LENGTH.multipliedBy(b)), usage, Map.of());
        }
    }

    private static LabelKey key(int l) {
        return new LabelKey("customers", "label-" + l);
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
