package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.pfmeter.accounting.testing.V4Database.HOST;
import static org.pfmeter.accounting.testing.V4Database.timestamp;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CsvReportWriter;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.JsonReportWriter;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.billing.UsageExport;
import org.pfmeter.accounting.ledger.LabelDelta;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.ledger.Reset;
import org.pfmeter.accounting.testing.Snapshots;
import org.pfmeter.accounting.testing.V4Database;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * Issue 15: a database that pfmeter wrote before schema v5 (schema v4, pfmeter f3717c1, 35 simulated
 * days with reloads, zeroing, pf restarts and crashes: the resource {@code v4-35-days/}) is migrated
 * by {@link AccountingStore#open} and then bills to exactly the bytes that pfmeter printed on it,
 * keeps every row, and goes on with the v5 ledger where the v4 one stopped. Run on H2
 * ({@link MigrationV5Test}) and on PostgreSQL ({@link MigrationV5PostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MigrationV5Contract {

    /** When f3717c1 printed the expected reports ({@code "as_of"} of the JSON one). */
    static final Clock PRINTED_AT = Clock.fixed(Instant.parse("2026-12-03T10:24:53.967209291Z"), ZoneOffset.UTC);
    /** The last poll of the simulation. */
    static final Instant LAST_V4_POLL = Instant.parse("2026-11-05T00:00:00Z");
    /** The 36 labels of the simulation. */
    static final int LABELS = 36;
    /** October 2026 in UTC: 744 hourly polls booked in October's slots. */
    static final int OCTOBER_POLLED_SLOTS = 744;

    /** What f3717c1 printed on the v4 database ({@code v4-35-days/expected/}), and how pfmeter makes it now. */
    enum Output {
        BILLING_2026_10_CSV("billing-2026-10.csv", s -> billingCsv(s, BillingCycle.calendarMonthsUtc(), "2026-10")),
        BILLING_2026_10_JSON("billing-2026-10.json", s -> billingJson(s, BillingCycle.calendarMonthsUtc(), "2026-10")),
        BILLING_2026_11_CSV("billing-2026-11.csv", s -> billingCsv(s, BillingCycle.calendarMonthsUtc(), "2026-11")),
        BILLING_2026_10_BERLIN_15_CSV("billing-2026-10-berlin15.csv", s -> billingCsv(s, BillingCycle.of("15", "Europe/Berlin"), "2026-10")),
        USAGE_2026_10_OFFICE_WEB_CSV("usage-2026-10-office-web.csv.gz", s -> usageCsv(s, "2026-10", "office:office-web"));

        final String file;
        final Function<AccountingStore, String> make;

        Output(String file, Function<AccountingStore, String> make) {
            this.file = file;
            this.make = make;
        }

        String expected() {
            return V4Database.text("expected/" + file);
        }
    }

    /** A new, empty database. */
    abstract StoreConfig newDatabase() throws Exception;

    /** Drops what {@link #newDatabase} made; called after every store is closed. */
    abstract void dropDatabases() throws Exception;

    private final List<AccountingStore> stores = new ArrayList<>();
    /** The v4 database migrated to v5 and not written since: the read-only checks share it. */
    private AccountingStore migrated;

    @BeforeAll
    void migrateTheV4Database() throws Exception {
        migrated = openMigrated();
    }

    @AfterAll
    void closeAndDrop() throws Exception {
        for (AccountingStore s : stores) {
            s.close();
        }
        dropDatabases();
    }

    private AccountingStore openMigrated() throws Exception {
        StoreConfig db = newDatabase();
        V4Database.create(db);
        AccountingStore s = AccountingStore.open(db);
        stores.add(s);
        return s;
    }

    @Test
    void theSchemaIsV5WithOneSeriesPerLabelAndNoStringsInTheLabelTables() {
        assertThat(migrated.schemaVersion()).isEqualTo("10");   // V4 migrated through V5 to the latest (V7: bill_period, V8: bill_drop, V9: journal parts, V10: kinds per action)
        migrated.query("read the schema", c -> {
            DatabaseMetaData md = c.getMetaData();
            Set<String> tables = new TreeSet<>();
            try (ResultSet rs = md.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            // usage_1h and usage_1d are gone, and so are the renamed v4 tables V5 copies from (bill_period: V7, bill_drop: V8)
            assertThat(tables).containsExactlyInAnyOrder("flyway_schema_history", "pf_host", "series", "label_counters",
                    "usage_5m", "usage_5m_day", "poll_journal", "host_poll_slot", "ledger_event", "bill_period",
                    "bill_drop");
            for (String t : List.of("label_counters", "usage_5m", "usage_5m_day")) {
                Map<String, Integer> columns = columns(md, c.getSchema(), t);
                assertThat(columns).as(t).containsKey("series_id").doesNotContainKeys("host", "anchor", "label");
                assertThat(columns.entrySet()).as(t + ": no string column left")
                        .noneMatch(e -> Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR,
                                Types.LONGNVARCHAR, Types.CLOB).contains(e.getValue()));
            }
            return null;
        });
        Set<String> keys = new TreeSet<>();
        for (String t : List.of("label_counters", "usage_5m", "usage_5m_day")) {
            V4Database.Table d = V4Database.table(t);
            for (String[] r : d.rows()) {
                keys.add(r[d.column("host")] + "|" + r[d.column("anchor")] + "|" + r[d.column("label")]);
            }
        }
        assertThat(keys).hasSize(LABELS);
        List<String> series = rows(migrated, "SELECT host, anchor, label FROM series", r -> r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3));
        assertThat(series).as("one series per (host, anchor, label) of the v4 tables").hasSize(LABELS)
                .containsExactlyInAnyOrderElementsOf(keys);
        assertThat(rows(migrated, "SELECT DISTINCT series_id FROM series", r -> r.getInt(1))).hasSize(LABELS);
    }

    @Test
    void everyRowOfTheV4TablesIsInTheV5Tables() {
        // label_counters: the same raw counters per label, NUMERIC(20,0) as before
        V4Database.Table lc = V4Database.table("label_counters");
        List<String> counterColumns = List.of("polled_at", "rule_count", "evaluations", "packets_in", "packets_out", "bytes_in",
                "bytes_out", "states_total");
        Map<String, List<String>> dumped = new TreeMap<>();
        for (String[] r : lc.rows()) {
            List<String> v = new ArrayList<>();
            for (String col : counterColumns) {
                v.add(col.equals("polled_at") ? timestamp(r[lc.column(col)]).toInstant().toString() : r[lc.column(col)]);
            }
            dumped.put(key(r, lc), v);
        }
        Map<String, List<String>> stored = new TreeMap<>();
        migrated.query("read label_counters", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT s.host, s.anchor, s.label, l.polled_at,"
                    + " l.rule_count, l.evaluations, l.packets_in, l.packets_out, l.bytes_in, l.bytes_out, l.states_total"
                    + " FROM label_counters l JOIN series s ON s.series_id = l.series_id")) {
                while (rs.next()) {
                    List<String> v = new ArrayList<>();
                    v.add(rs.getObject(4, OffsetDateTime.class).toInstant().toString());
                    v.add(Integer.toString(rs.getInt(5)));
                    for (int i = 6; i <= 11; i++) {
                        v.add(rs.getBigDecimal(i).toPlainString());
                    }
                    stored.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), v);
                }
            }
            return null;
        });
        assertThat(stored).hasSize(LABELS).isEqualTo(dumped);

        // usage_5m: every bucket row with every column
        V4Database.Table u = V4Database.table("usage_5m");
        List<String> values = List.of("packets_in", "packets_out", "bytes_in", "bytes_out", "evaluations", "states_created",
                "states_max", "polls", "resets");
        Map<String, String> dumpedRows = new HashMap<>();
        for (String[] r : u.rows()) {
            StringBuilder v = new StringBuilder();
            for (String col : values) {
                v.append(r[u.column(col)]).append(' ');
            }
            dumpedRows.put(key(r, u) + "|" + timestamp(r[u.column("bucket_start")]).toInstant(), v.toString());
        }
        Map<String, String> storedRows = new HashMap<>();
        migrated.query("read usage_5m", c -> {
            for (BucketRows.Row r : BucketRows.read(c, Optional.empty(), Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))) {
                assertThat(r.open()).isFalse();
                SlotUsage s = r.usage();
                storedRows.put(r.host() + "|" + r.key().anchor() + "|" + r.key().label() + "|" + r.bucket(),
                        s.packetsIn() + " " + s.packetsOut() + " " + s.bytesIn() + " " + s.bytesOut() + " " + s.evaluations()
                                + " " + s.statesCreated() + " " + s.statesMax() + " " + s.polls() + " " + s.resets() + " ");
            }
            return null;
        });
        assertThat(storedRows).hasSize(30_240).isEqualTo(dumpedRows);

        // the tables V5 leaves alone
        assertThat(count(migrated, "host_poll_slot")).isEqualTo(V4Database.table("host_poll_slot").rows().size());
        assertThat(count(migrated, "ledger_event")).isEqualTo(V4Database.table("ledger_event").rows().size());
        V4Database.Table h = V4Database.table("pf_host");
        assertThat(rows(migrated, "SELECT host, first_polled_at, last_polled_at, ruleset_checksum, pf_since FROM pf_host",
                r -> List.of(r.getString(1), r.getObject(2, OffsetDateTime.class).toInstant().toString(),
                        r.getObject(3, OffsetDateTime.class).toInstant().toString(), r.getString(4), r.getBigDecimal(5).toPlainString())))
                .containsExactly(List.of(HOST, timestamp(h.rows().get(0)[h.column("first_polled_at")]).toInstant().toString(),
                        LAST_V4_POLL.toString(), h.rows().get(0)[h.column("ruleset_checksum")], h.rows().get(0)[h.column("pf_since")]));

        // the sealed days are not converted: emptied, and the ledger seals them again
        assertThat(V4Database.table("usage_5m_day").rows()).hasSize(1_224);
        assertThat(count(migrated, "usage_5m_day")).isZero();
        assertThat(sealedUntil(migrated)).isEmpty();
        assertThat(count(migrated, "poll_journal")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Output.class)
    void billsTheMigratedDatabaseExactlyAsF3717c1Did(Output output) {
        assertSameText(output.file, output.expected(), output.make.apply(migrated));
    }

    @Test
    void theDocumentedQueriesOfSqlQueriesSqlAnswerFromTheMigratedDatabase() throws IOException {
        checkDocumentedQueries(migrated, Optional.empty(), 0);
    }

    /**
     * The v5 ledger takes over: its first poll's deltas are the current counters minus those v4
     * stored (no label counted twice, no reset), the days are sealed again after the first poll, the
     * re-sealed days hold what v4 had sealed, and October, read from them now, bills the same bytes.
     */
    @Test
    void theV5LedgerContinuesFromTheMigratedCountersAndSealsTheDaysAgain() throws Exception {
        AccountingStore store = openMigrated();
        V4Database.Table lc = V4Database.table("label_counters");
        V4Database.Table host = V4Database.table("pf_host");
        String checksum = host.rows().get(0)[host.column("ruleset_checksum")];
        long since = Long.parseLong(host.rows().get(0)[host.column("pf_since")]);
        int events = count(store, "ledger_event");
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), PRINTED_AT);

        // 40 polls 5 minutes apart after the last v4 poll; label i moves by a step of its own
        int polls = 40;
        Map<LabelKey, LabelCounters> stepOf = new LinkedHashMap<>();
        for (int i = 0; i < lc.rows().size(); i++) {
            String[] r = lc.rows().get(i);
            stepOf.put(new LabelKey(r[lc.column("anchor")], r[lc.column("label")]),
                    new LabelCounters("", "", 0, 300 + 2 * i, 200 + i, 100 + i, 200_000L * (i + 1) + 7, 100_000L * (i + 1) + 3, 0, i % 3));
        }
        List<Instant> sealed = new ArrayList<>();
        for (int k = 1; k <= polls; k++) {
            RecordResult r = ledger.record(HOST, poll(lc, checksum, since, stepOf, k));
            assertThat(r.outcome()).as("poll " + k).isEqualTo(RecordResult.Outcome.WRITTEN);
            if (k == 1) {
                assertThat(r.deltas()).hasSize(LABELS);
                Map<LabelKey, String[]> storedRow = new HashMap<>();
                for (String[] row : lc.rows()) {
                    storedRow.put(new LabelKey(row[lc.column("anchor")], row[lc.column("label")]), row);
                }
                for (LabelDelta d : r.deltas()) {
                    String[] before = storedRow.get(d.key());
                    LabelCounters now = counters(d.key(), before, lc, stepOf.get(d.key()), 1);
                    assertThat(d.reset()).as(d.key().toString()).isEqualTo(Reset.NONE);
                    assertThat(List.of(d.evaluations(), d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut(), d.statesCreated()))
                            .as(d.key() + ": current - stored")
                            .containsExactly(now.evaluations() - stored(before, lc, "evaluations"),
                                    now.packetsIn() - stored(before, lc, "packets_in"),
                                    now.packetsOut() - stored(before, lc, "packets_out"),
                                    now.bytesIn() - stored(before, lc, "bytes_in"),
                                    now.bytesOut() - stored(before, lc, "bytes_out"),
                                    now.statesTotal() - stored(before, lc, "states_total"));
                }
            }
            sealed.add(sealedUntil(store).orElse(null));
        }
        // V5 set sealed_until to NULL; the ledger starts at the day of the first poll's slot (the
        // poll of 1 October 00:00 books into 30 September 23:55) and seals the due days while
        // Ledger.SEAL_BUDGET of its clock lasts: this ledger's clock is fixed, so the first poll seals
        // all 36 (SealCatchUpTest counts the polls when the clock moves)
        Instant firstDay = Instant.parse("2026-09-30T00:00:00Z");
        for (int k = 1; k <= polls; k++) {
            assertThat(sealed.get(k - 1)).as("sealed_until after poll " + k).isEqualTo(firstDay.plus(Duration.ofDays(36)));
        }
        assertThat(sealed.get(polls - 1)).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
        assertThat(count(store, "ledger_event")).as("no reset, no new label").isEqualTo(events);

        // what the 40 polls added: 40 steps per label, in 5-minute buckets from 5 November 00:00
        Map<LabelKey, long[]> added = new HashMap<>();
        store.query("read the new buckets", c -> {
            for (BucketRows.Row r : BucketRows.read(c, Optional.of(HOST), LAST_V4_POLL, LAST_V4_POLL.plus(Duration.ofDays(1)))) {
                long[] a = added.computeIfAbsent(r.key(), x -> new long[2]);
                a[0] += r.usage().bytesIn();
                a[1] += r.usage().bytesOut();
            }
            return null;
        });
        assertThat(added).hasSize(LABELS);
        stepOf.forEach((k, step) -> assertThat(added.get(k)).as(k.toString()).containsExactly(polls * step.bytesIn(), polls * step.bytesOut()));

        // the re-sealed days equal the days v4 had sealed (v4 packed bytes only, v5 packets too)
        V4Database.Table day = V4Database.table("usage_5m_day");
        Map<String, String> v4Days = new TreeMap<>();
        for (String[] r : day.rows()) {
            v4Days.put(key(r, day) + "|" + timestamp(r[day.column("day_start")]).toInstant(),
                    r[day.column("packets_in")] + " " + r[day.column("packets_out")] + " " + v4Slots(r[day.column("slots")]));
        }
        Map<String, String> v5Days = new TreeMap<>();
        store.query("read the sealed days", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT s.host, s.anchor, s.label, d.day_start,"
                    + " d.packets_in, d.packets_out, d.bytes_in, d.bytes_out, d.slots FROM usage_5m_day d"
                    + " JOIN series s ON s.series_id = d.series_id"
                    + " WHERE d.day_start < TIMESTAMP WITH TIME ZONE '2026-11-04 00:00:00+00'")) {
                while (rs.next()) {
                    String k = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|"
                            + rs.getObject(4, OffsetDateTime.class).toInstant();
                    StringBuilder slots = new StringBuilder();
                    long[] sums = new long[4];
                    DaySlots.decode(rs.getBytes(9), k, (i, pin, pout, bin, bout) -> {
                        slots.append(i).append(':').append(bin).append(':').append(bout).append(' ');
                        sums[0] += pin;
                        sums[1] += pout;
                        sums[2] += bin;
                        sums[3] += bout;
                    });
                    assertThat(List.of(rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)))
                            .as(k + ": the row's sums are its slots'").containsExactly(sums[0], sums[1], sums[2], sums[3]);
                    v5Days.put(k, rs.getLong(5) + " " + rs.getLong(6) + " " + slots);
                }
            }
            return null;
        });
        assertThat(v5Days).hasSize(v4Days.size()).isEqualTo(v4Days);

        // October now comes from the sealed days, and bills the same bytes
        for (Output o : List.of(Output.BILLING_2026_10_CSV, Output.BILLING_2026_10_JSON, Output.USAGE_2026_10_OFFICE_WEB_CSV)) {
            assertSameText(o.file + " (after re-sealing)", o.expected(), o.make.apply(store));
        }
        checkDocumentedQueries(store, Optional.of(Instant.parse("2026-11-05T00:00:00Z")), 1);
    }

    // --- the documented queries -----------------------------------------------------------------

    /**
     * Runs every statement of {@code sql/queries.sql} (its example host 'fw1' and label 'web' set to
     * the fixture's) and checks the answers against the v4 dump: the daily totals are v4's
     * usage_1d rows, whether the days come from usage_5m or from sealed days.
     */
    private static void checkDocumentedQueries(AccountingStore store, Optional<Instant> sealedUntil, int journalRows) throws IOException {
        Map<String, String> queries = documentedQueries();
        V4Database.Table daily = V4Database.table("usage_1d");
        Instant oct = Instant.parse("2026-10-01T00:00:00Z");
        Instant nov = Instant.parse("2026-11-01T00:00:00Z");
        Map<String, List<Long>> v4Daily = new TreeMap<>();
        Map<String, Long> v4Monthly = new TreeMap<>();
        for (String[] r : daily.rows()) {
            Instant d = timestamp(r[daily.column("bucket_start")]).toInstant();
            if (d.isBefore(oct) || !d.isBefore(nov)) {
                continue;
            }
            long in = Long.parseLong(r[daily.column("bytes_in")]);
            long out = Long.parseLong(r[daily.column("bytes_out")]);
            String label = r[daily.column("anchor")] + "|" + r[daily.column("label")];
            v4Daily.put(label + "|" + d, List.of(in, out, in + out, Long.parseLong(r[daily.column("packets_in")]),
                    Long.parseLong(r[daily.column("packets_out")])));
            v4Monthly.merge(label, in + out, Long::sum);
        }
        int checked = 0;
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String title = q.getKey();
            List<Map<String, Object>> rows = store.query("run " + title, c -> run(c, q.getValue()));
            if (title.startsWith("Bytes and packets per label and UTC day")) {
                Map<String, List<Long>> got = new TreeMap<>();
                for (Map<String, Object> r : rows) {
                    got.put(r.get("anchor") + "|" + r.get("label") + "|" + instant(r.get("day_utc")),
                            List.of(number(r.get("bytes_in")), number(r.get("bytes_out")), number(r.get("bytes_total")),
                                    number(r.get("packets_in")), number(r.get("packets_out"))));
                }
                assertThat(got).as(title).hasSize(LABELS * 31).isEqualTo(v4Daily);
            } else if (title.startsWith("The busiest labels of a UTC month")) {
                Map<String, Long> got = new TreeMap<>();
                for (Map<String, Object> r : rows) {
                    got.put(r.get("anchor") + "|" + r.get("label"), number(r.get("bytes_total")));
                    assertThat(number(r.get("hosts"))).isEqualTo(1);
                }
                assertThat(got).as(title).isEqualTo(v4Monthly);
                assertThat(rows.stream().map(r -> number(r.get("bytes_total"))).toList()).as(title + ": sorted")
                        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
            } else if (title.startsWith("The 5-minute rates of one label")) {
                long in = 0;
                long out = 0;
                for (Map<String, Object> r : rows) {
                    in += bytesOf(r.get("in_bps"));
                    out += bytesOf(r.get("out_bps"));
                }
                List<Long> want = v4Daily.entrySet().stream().filter(e -> e.getKey().startsWith("office|office-web|"))
                        .map(Map.Entry::getValue).reduce((a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)))
                        .map(l -> l.subList(0, 2)).orElseThrow();
                assertThat(rows).as(title).hasSize(OCTOBER_POLLED_SLOTS);
                assertThat(List.of(in, out)).as(title).isEqualTo(want);
            } else if (title.startsWith("How much of a month each host was polled")) {
                assertThat(rows).as(title).hasSize(1);
                assertThat(rows.get(0).get("host")).as(title).isEqualTo(HOST);
                assertThat(number(rows.get(0).get("polled_slots"))).as(title).isEqualTo(OCTOBER_POLLED_SLOTS);
            } else if (title.startsWith("Why a label's counters were taken as a new start")) {
                assertThat(rows).as(title).hasSize(V4Database.table("ledger_event").rows().size());
            } else if (title.startsWith("How fresh each host's accounting is")) {
                assertThat(rows).as(title).hasSize(1);
            } else if (title.startsWith("How far each host's days are sealed")) {
                assertThat(rows).as(title).hasSize(1);
                assertThat(Optional.ofNullable(rows.get(0).get("sealed_until")).map(MigrationV5Contract::instant)).as(title)
                        .isEqualTo(sealedUntil);
                assertThat(number(rows.get(0).get("day_rows"))).as(title).isEqualTo(count(store, "usage_5m_day"));
            } else if (title.startsWith("Polls not in usage_5m yet")) {
                assertThat(rows).as(title).hasSize(journalRows);
            } else {
                continue;
            }
            checked++;
        }
        assertThat(checked).as("queries checked of " + queries.keySet()).isEqualTo(8);
    }

    /** The statements of sql/queries.sql by the first line of the comment above each. */
    private static Map<String, String> documentedQueries() throws IOException {
        String text = Files.readString(Path.of("..", "sql", "queries.sql"), StandardCharsets.UTF_8);
        Map<String, String> queries = new LinkedHashMap<>();
        String title = null;
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--")) {
                if (sql.length() == 0 && title == null) {
                    title = line.substring(2).strip();
                }
                continue;
            }
            if (line.isBlank() && sql.length() == 0) {
                title = null;
                continue;
            }
            sql.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                String s = sql.toString().strip();
                s = s.substring(0, s.length() - 1);
                assertThat(s).as(title).doesNotContain("'" + HOST + "'");
                String webLabel = "s.anchor = '' AND s.label = 'web'";
                if (title != null && title.startsWith("The 5-minute rates of one label")) {
                    assertThat(s).as(title).contains(webLabel);
                }
                s = s.replace("'fw1'", "'" + HOST + "'").replace(webLabel, "s.anchor = 'office' AND s.label = 'office-web'");
                queries.put(title == null ? s : title, s);
                title = null;
                sql.setLength(0);
            }
        }
        assertThat(sql.toString()).as("text after the last statement of queries.sql").isBlank();
        return queries;
    }

    private static List<Map<String, Object>> run(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            // the queries keep UTC days in any session time zone (this connection is dropped afterwards)
            s.execute("SET TIME ZONE 'Pacific/Kiritimati'");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A day or time from a query: TIMESTAMP WITH TIME ZONE, or PostgreSQL's TIMESTAMP of "x AT TIME ZONE 'UTC'". */
    private static Instant instant(Object v) {
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        throw new AssertionError("not a time: " + v + (v == null ? "" : " (" + v.getClass().getName() + ")"));
    }

    private static long number(Object v) {
        assertThat(v).isInstanceOf(Number.class);
        return new BigDecimal(v.toString()).longValueExact();
    }

    /** Bytes in a slot from its rate: bit/s * 300 / 8. */
    private static long bytesOf(Object bps) {
        return new BigDecimal(bps.toString()).multiply(BigDecimal.valueOf(300)).divide(BigDecimal.valueOf(8), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    // --- reports as the CLI prints them ---------------------------------------------------------

    /** What {@code pfmeter billing --month M [--billing-day D --zone Z]} prints (BillingCommand). */
    static String billingCsv(AccountingStore s, BillingCycle cycle, String month) {
        StringWriter w = new StringWriter();
        new CsvReportWriter().write(report(s, cycle, month), w);
        return w.toString();
    }

    /** What {@code pfmeter billing --month M --format json} prints. */
    static String billingJson(AccountingStore s, BillingCycle cycle, String month) {
        StringWriter w = new StringWriter();
        new JsonReportWriter().write(report(s, cycle, month), w);
        return w.toString();
    }

    private static BillingReport report(AccountingStore s, BillingCycle cycle, String month) {
        ReportQuery q = ReportQuery.of(cycle.period(month)).withUnits(Units.parse("si"))
                .withGapThreshold(ReportQuery.DEFAULT_GAP_THRESHOLD);
        return new BillingReports(s, cycle, CustomerMapping.empty(), PRINTED_AT).report(q);
    }

    /** What {@code pfmeter usage --month M --label L} prints (UsageCommand). */
    static String usageCsv(AccountingStore s, String month, String label) {
        UsageExport export = new UsageExport(s, CustomerMapping.empty(), PRINTED_AT);
        UsageExport.Samples samples = export.forLabel(BillingCycle.calendarMonthsUtc().period(month), Optional.empty(), label);
        StringWriter w = new StringWriter();
        export.writeCsv(samples, w);
        return w.toString();
    }

    /**
     * Byte for byte; on a difference the message names the first line that differs and, in a CSV,
     * the columns, so that a change of the read path shows as what it is.
     */
    static void assertSameText(String name, String expected, String actual) {
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        StringBuilder why = new StringBuilder(name + " differs from what f3717c1 printed");
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "(nothing)";
            String al = i < a.length ? a[i] : "(nothing)";
            if (el.equals(al)) {
                continue;
            }
            why.append(" from line ").append(i + 1).append(" (").append(e.length).append(" lines expected, ")
                    .append(a.length).append(" printed)");
            if (name.contains(".csv") && i > 0) {
                String[] header = e[0].strip().split(",", -1);
                String[] ec = el.strip().split(",", -1);
                String[] ac = al.strip().split(",", -1);
                why.append("; row ").append(ec[0]).append(',').append(ec.length > 1 ? ec[1] : "").append(", columns:");
                for (int col = 0; col < Math.max(ec.length, ac.length); col++) {
                    String ev = col < ec.length ? ec[col] : "(none)";
                    String av = col < ac.length ? ac[col] : "(none)";
                    if (!ev.equals(av)) {
                        why.append(' ').append(col < header.length ? header[col] : "#" + col).append(" expected ")
                                .append(ev).append(" got ").append(av).append(';');
                    }
                }
            } else {
                why.append(":\n  expected: ").append(el).append("\n  printed:  ").append(al);
            }
            break;
        }
        fail(why.toString());
    }

    // --- helpers --------------------------------------------------------------------------------

    /** Poll {@code k} after the last v4 poll: the stored counters plus {@code k} steps, same ruleset, same pf. */
    private static PfSnapshot poll(V4Database.Table lc, String checksum, long since, Map<LabelKey, LabelCounters> stepOf, int k) {
        List<LabelCounters> labels = new ArrayList<>();
        for (String[] r : lc.rows()) {
            LabelKey key = new LabelKey(r[lc.column("anchor")], r[lc.column("label")]);
            labels.add(counters(key, r, lc, stepOf.get(key), k));
        }
        return Snapshots.snapshot(LAST_V4_POLL.plus(Duration.ofMinutes(5L * k)), checksum, since, labels.toArray(LabelCounters[]::new));
    }

    private static LabelCounters counters(LabelKey key, String[] stored, V4Database.Table lc, LabelCounters step, int k) {
        return new LabelCounters(key.anchor(), key.label(), Integer.parseInt(stored[lc.column("rule_count")]),
                stored(stored, lc, "evaluations") + k * step.evaluations(),
                stored(stored, lc, "packets_in") + k * step.packetsIn(),
                stored(stored, lc, "packets_out") + k * step.packetsOut(),
                stored(stored, lc, "bytes_in") + k * step.bytesIn(),
                stored(stored, lc, "bytes_out") + k * step.bytesOut(),
                0, stored(stored, lc, "states_total") + k * step.statesTotal());
    }

    private static long stored(String[] row, V4Database.Table t, String column) {
        return new BigDecimal(row[t.column(column)]).longValueExact();
    }

    /** A v4 usage_5m_day.slots value (hex): 18 bytes a slot, index (u16), bytes in, bytes out. */
    private static String v4Slots(String hex) {
        ByteBuffer b = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
        StringBuilder s = new StringBuilder();
        while (b.hasRemaining()) {
            s.append(Short.toUnsignedInt(b.getShort())).append(':').append(b.getLong()).append(':').append(b.getLong()).append(' ');
        }
        return s.toString();
    }

    private static String key(String[] r, V4Database.Table t) {
        return r[t.column("host")] + "|" + r[t.column("anchor")] + "|" + r[t.column("label")];
    }

    private static Map<String, Integer> columns(DatabaseMetaData md, String schema, String table) throws SQLException {
        Map<String, Integer> columns = new TreeMap<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = md.getColumns(null, schema, name, "%")) {
                while (rs.next()) {
                    columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
                }
            }
        }
        assertThat(columns).as(table + "'s columns").isNotEmpty();
        return columns;
    }

    private static Optional<Instant> sealedUntil(AccountingStore s) {
        List<Optional<Instant>> v = rows(s, "SELECT sealed_until FROM pf_host",
                r -> Optional.ofNullable(r.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant));
        assertThat(v).hasSize(1);
        return v.get(0);
    }

    private static int count(AccountingStore s, String table) {
        return rows(s, "SELECT COUNT(*) FROM " + table, r -> r.getInt(1)).get(0);
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(AccountingStore s, String sql, RowMapper<T> m) {
        return s.query("run " + sql, c -> {
            List<T> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(m.map(rs));
                }
            }
            return out;
        });
    }
}
