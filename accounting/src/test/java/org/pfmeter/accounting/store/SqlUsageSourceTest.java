package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.UsageSource;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;

/**
 * Billing's SQL source hands over exactly the buckets the ledger holds ({@link BucketRows}: closed
 * and open), whether a day is sealed ({@code usage_5m_day}), in the unsealed tail
 * ({@code usage_5m}) or still open (the journal), for any range and host, however the labels are
 * chunked for the tail scan.
 *
 * <p>Written by the real ledger, a poll every 10 minutes: fw1 from 30 October 00:00 to 1 November
 * 12:00 UTC (30 and 31 October sealed), fw2 until 31 October 23:00 (30 October sealed); each
 * host's last bucket is open.
 */
class SqlUsageSourceTest {

    private static final Instant START = Instant.parse("2026-10-30T00:00:00Z");
    private static final Instant FW1_END = Instant.parse("2026-11-01T12:00:00Z");
    private static final Instant FW2_END = Instant.parse("2026-10-31T23:00:00Z");
    private static final List<LabelKey> LABELS = List.of(new LabelKey("", "web"), new LabelKey("", "only1"),
            new LabelKey("a", "mail"), new LabelKey("", "nowhere"));

    @TempDir
    Path dir;

    private AccountingStore store;
    private Ledger ledger;
    private final long[] web1 = new long[4];

    /** The database the test runs on: embedded H2 here. */
    StoreConfig config() {
        return StoreConfig.h2(dir);
    }

    @BeforeEach
    void fill() {
        store = AccountingStore.open(config());
        ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(FW1_END, ZoneOffset.UTC));
        long[] only1 = new long[4];
        long[] web2 = new long[4];
        long[] mail = new long[4];
        int i = 0;
        for (Instant t = START.plusSeconds(10); !t.isAfter(FW1_END); t = t.plus(Duration.ofMinutes(10)), i++) {
            grow(web1, i, 1_000);
            if (i % 3 != 0) {
                grow(only1, i, 77);
            }
            record("fw1", t, label("", "web", web1[0], web1[1], web1[2], web1[3]),
                    label("", "only1", only1[0], only1[1], only1[2], only1[3]));
            if (t.isBefore(FW2_END)) {
                grow(web2, i, 500);
                if (i % 5 == 1) {
                    grow(mail, i, 3);
                }
                record("fw2", t, label("", "web", web2[0], web2[1], web2[2], web2[3]),
                        label("a", "mail", mail[0], mail[1], mail[2], mail[3]));
            }
        }
    }

    private static void grow(long[] c, int i, long scale) {
        long b = scale * (1 + (i * 37L) % 23);
        c[0] += b / 100;
        c[1] += b / 300;
        c[2] += b;
        c[3] += b / 2;
    }

    private void record(String host, Instant t, LabelCounters... labels) {
        assertThat(ledger.record(host, snapshot(t, "x", 1, labels)).error()).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private List<BucketRows.Row> rows(Optional<String> host, Instant from, Instant to) {
        return store.query("rows", c -> BucketRows.read(c, host, from, to));
    }

    /** (host, label, slot) → packets in, out, bytes in, out, as a comparable string. */
    private Map<String, String> expected(Optional<String> host, Instant from, Instant to) {
        Map<String, String> m = new TreeMap<>();
        for (BucketRows.Row r : rows(host, from, to)) {
            SlotUsage u = r.usage();
            m.put(r.host() + " " + r.key() + " " + r.bucket(),
                    Arrays.toString(new long[] {u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut()}));
        }
        return m;
    }

    private static Map<String, String> handedOver(UsageSource.Reading r, Optional<String> host, Instant from, Instant to) {
        Map<String, String> m = new TreeMap<>();
        List<LabelKey> started = new ArrayList<>();
        r.forEachLabel(from, to, host, LABELS, new UsageSource.LabelSink() {
            private LabelKey current;

            @Override
            public void start(LabelKey key) {
                assertThat(current).isNull();
                current = key;
                started.add(key);
            }

            @Override
            public void slot(String h, long slotStart, long pin, long pout, long bin, long bout) {
                String k = h + " " + current + " " + Instant.ofEpochSecond(slotStart);
                assertThat(m).as("one row per host, label and slot").doesNotContainKey(k);
                m.put(k, Arrays.toString(new long[] {pin, pout, bin, bout}));
            }

            @Override
            public void end(LabelKey key) {
                assertThat(key).isEqualTo(current);
                current = null;
            }
        });
        assertThat(started).containsExactlyInAnyOrderElementsOf(LABELS);
        return m;
    }

    private Map<String, String> read(long budget, Optional<String> host, Instant from, Instant to) {
        return new SqlUsageSource(store, budget).read("test", r -> handedOver(r, host, from, to));
    }

    @Test
    void theDataLiesInSealedDaysTheTailAndTheJournal() {
        LedgerStore tables = new LedgerStore(store);
        assertThat(tables.load("fw1").orElseThrow().host().sealedUntil()).contains(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(tables.load("fw2").orElseThrow().host().sealedUntil()).contains(Instant.parse("2026-10-31T00:00:00Z"));
        assertThat(rows(Optional.empty(), START, FW1_END.plusSeconds(300)))
                .filteredOn(BucketRows.Row::open).extracting(BucketRows.Row::host).contains("fw1", "fw2");
    }

    @Test
    void everyRangeHostAndChunkSizeGetsExactlyTheLedgersBuckets() {
        Instant end = FW1_END.plus(Duration.ofHours(1));
        List<Instant[]> ranges = List.of(
                new Instant[] {START, end},
                // a billing month in another zone: starts and ends inside UTC days, and a report's
                // time inside a slot
                new Instant[] {Instant.parse("2026-10-30T07:00:00Z"), Instant.parse("2026-11-01T05:32:30Z")},
                new Instant[] {Instant.parse("2026-10-31T22:00:00Z"), end},
                new Instant[] {Instant.parse("2026-10-30T12:00:00Z"), Instant.parse("2026-10-30T12:00:00Z")});
        for (Instant[] range : ranges) {
            for (Optional<String> host : List.of(Optional.<String>empty(), Optional.of("fw1"), Optional.of("fw2"))) {
                Map<String, String> want = expected(host, range[0], range[1]);
                // one label a chunk, a few, all
                for (long budget : new long[] {1, 40_000, SqlUsageSource.MAX_TAIL_BUDGET}) {
                    assertThat(read(budget, host, range[0], range[1])).as("%s..%s %s budget %d", range[0], range[1], host, budget)
                            .isEqualTo(want);
                }
            }
        }
        assertThat(expected(Optional.empty(), START, end)).hasSizeGreaterThan(800);
    }

    @Test
    void aBucketClosedDuringAReadIsSeenOnce() {
        Instant end = FW1_END.plus(Duration.ofMinutes(5));
        Map<String, String> before = expected(Optional.empty(), START, end);
        Map<String, String> seen = new SqlUsageSource(store).read("test", r -> {
            r.firstPolls();     // the read has begun
            // the next poll of fw1 closes its open bucket: from the journal into usage_5m
            grow(web1, 1, 1_000);
            record("fw1", FW1_END.plus(Duration.ofMinutes(10)), label("", "web", web1[0], web1[1], web1[2], web1[3]));
            return handedOver(r, Optional.empty(), START, end);
        });
        assertThat(seen).isEqualTo(before);
        // and after the read, the closed bucket is there once
        assertThat(read(SqlUsageSource.MAX_TAIL_BUDGET, Optional.empty(), START, end)).isEqualTo(before);
        assertThat(rows(Optional.of("fw1"), FW1_END.minus(Duration.ofMinutes(10)), end))
                .filteredOn(row -> row.key().label().equals("web")).singleElement()
                .satisfies(row -> assertThat(row.open()).isFalse());
    }
}
