package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.SlotRows;
import org.pfmeter.accounting.simulate.MonthSimulation;

/**
 * A damaged packed row never makes a bill (issue 19, point 2): a sealed day whose bytes changed is
 * billed from its 5-minute rows and the caller is told; without them the report is refused, naming
 * the row; a damaged journal row refuses the report. {@link Verification} finds each, and repairs
 * what a source is left for. Two simulated days written by the real ledger, on embedded H2 here
 * and on PostgreSQL in {@link DamagedRowsPostgresTest}.
 */
class DamagedRowsTest {

    static MonthSimulation.Plan plan() {
        return PLAN;
    }

    private static final MonthSimulation.Plan PLAN = MonthSimulation.defaultPlan(2).withPollInterval(Duration.ofMinutes(10));
    /** The simulation, run once: each H2 test works on a copy of its file. */
    private static Path simulated;
    private static final String OCTOBER = "2026-10";

    @TempDir
    Path dir;

    AccountingStore store;

    /** The database the test runs on, filled with {@link #PLAN}: a copy of the simulated H2 file here. */
    StoreConfig filled() throws IOException {
        synchronized (DamagedRowsTest.class) {
            if (simulated == null) {
                Path d = Files.createTempDirectory("pfmeter-damaged-rows");
                MonthSimulation.run(StoreConfig.h2(d), PLAN);
                simulated = d;
            }
        }
        String file = StoreConfig.H2_FILE_NAME + ".mv.db";
        Files.copy(simulated.resolve(file), dir.resolve(file));
        return StoreConfig.h2(dir);
    }

    @AfterAll
    static void dropSimulation() throws IOException {
        if (simulated != null) {
            try (var files = Files.list(simulated)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(simulated);
            simulated = null;
        }
    }

    @BeforeEach
    void fill() throws IOException {
        store = AccountingStore.open(filled());
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    /** The sealed day of the label with the most bytes in a day: the one a damage shows most in. */
    private record Target(int seriesId, Instant day, String host, String anchor, String label, byte[] slots) {
    }

    private Target biggest() {
        return store.query("pick a sealed day", c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT d.series_id, d.day_start, s.host, s.anchor, s.label,"
                    + " d.slots FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id WHERE s.kind = 'label'"
                    + " ORDER BY d.bytes_in DESC, d.series_id, d.day_start")) {
                assertThat(rs.next()).as("a sealed day").isTrue();
                return new Target(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getBytes(6));
            }
        });
    }

    private void write(Target t, byte[] slots) {
        store.inTransaction("damage a row", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE usage_5m_day SET slots = ? WHERE series_id = ? AND day_start = ?")) {
                ps.setBytes(1, slots);
                ps.setInt(2, t.seriesId());
                ps.setObject(3, t.day().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    /** Flips the high bit of {@code t}'s byte at {@code i} (negative: from the end). */
    private byte[] flipped(Target t, int i) {
        byte[] b = t.slots().clone();
        b[i < 0 ? b.length + i : i] ^= (byte) 0x80;
        write(t, b);
        return b;
    }

    private void deleteFiveMinuteRows(Instant day) {
        store.inTransaction("retention", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m WHERE bucket_start >= ? AND bucket_start < ?")) {
                ps.setObject(1, day.atOffset(ZoneOffset.UTC));
                ps.setObject(2, day.plus(DaySlots.DAY).atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    private BillingReport report(List<String> repaired) {
        return new BillingReports(new SqlUsageSource(store, repaired::add), BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                Clock.fixed(PLAN.end(), ZoneOffset.UTC)).report(ReportQuery.of(BillingCycle.calendarMonthsUtc().period(OCTOBER)));
    }

    @Test
    void whatTheLedgerWritesVerifiesCleanWithEveryRowChecksummed() {
        Verification.Result r = Verification.run(store, false);
        assertThat(r.findings()).isEmpty();
        assertThat(r.clean()).isTrue();
        assertThat(r.sealedRows()).isPositive();
        assertThat(r.uncheckedSealedRows()).isZero();
        assertThat(r.withoutSource()).isZero();
        assertThat(r.uncheckedJournalRows()).isZero();
        assertThat(DaySlots.checked(biggest().slots())).isTrue();
    }

    @Test
    void aFlippedByteInASealedDayIsBilledFromItsFiveMinuteRowsAndSaidSo() {
        List<String> none = new ArrayList<>();
        BillingReport before = report(none);
        assertThat(none).isEmpty();
        Target t = biggest();
        byte[] damaged = flipped(t, -5);        // the high bit of the last byte of the last bytes-out value
        // what billing read before checksums: a bill far off, silently
        SlotRows naive = new SlotRows(DaySlots.SLOTS_PER_DAY);
        DaySlots.decode(damaged, "naive", t.day().getEpochSecond(), naive);
        assertThat(Arrays.stream(naive.bytesOut(), 0, naive.size()).sum()).isNotEqualTo(
                Arrays.stream(decoded(t.slots(), t.day()).bytesOut(), 0, naive.size()).sum());

        assertThat(store.damagedRowsMet()).isEqualTo(AccountingStore.DamagedRowsMet.NONE);
        List<String> repaired = new ArrayList<>();
        assertThat(report(repaired)).isEqualTo(before);
        assertThat(repaired).singleElement().asString()
                .contains("usage_5m_day " + t.host(), t.label(), t.day().toString().substring(0, 10), "checksum mismatch",
                        "from its", "5-minute rows instead", "pfmeter verify --repair");
        // read around, and counted as met by a reader
        assertThat(store.damagedRowsMet()).isEqualTo(new AccountingStore.DamagedRowsMet(0, 1));
    }

    @Test
    void aDamagedSealedDayWhoseFiveMinuteRowsAreGoneIsRefusedNamingIt() {
        Target t = biggest();
        flipped(t, 60);
        deleteFiveMinuteRows(t.day());
        assertThatThrownBy(() -> report(new ArrayList<>())).isInstanceOf(DamagedRowException.class)
                .hasMessageContaining("host " + t.host())
                .hasMessageContaining("anchor \"" + t.anchor() + "\"")
                .hasMessageContaining("label \"" + t.label() + "\"")
                .hasMessageContaining("day " + t.day().toString().substring(0, 10))
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("refusing to bill")
                .hasMessageContaining("pfmeter verify");

        Verification.Result r = Verification.run(store, true);
        assertThat(r.clean()).isFalse();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Verification.Kind.UNRECOVERABLE);
            assertThat(f.row()).contains(t.host(), t.label(), t.day().toString().substring(0, 10));
        });
        assertThat(r.withoutSource()).isPositive();
    }

    @Test
    void verifyFindsADamagedDayAndRepairRewritesItFromTheFiveMinuteRows() {
        Target t = biggest();
        flipped(t, 45);
        Verification.Result found = Verification.run(store, false);
        assertThat(found.clean()).isFalse();
        assertThat(found.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Verification.Kind.DAMAGED);
            assertThat(f.toString()).contains("usage_5m_day " + t.host(), t.label(), "checksum mismatch", "--repair");
        });
        assertThat(Verification.run(store, false).findings()).as("checking changes nothing").hasSize(1);

        Verification.Result repaired = Verification.run(store, true);
        assertThat(repaired.clean()).isTrue();
        assertThat(repaired.findings()).singleElement().satisfies(f -> assertThat(f.kind()).isEqualTo(Verification.Kind.REPAIRED));
        assertThat(biggest().slots()).isEqualTo(t.slots());
        assertThat(Verification.run(store, false).findings()).isEmpty();
    }

    @Test
    void verifyFindsASealedDayThatDiffersFromItsFiveMinuteRowsAndAMissingOne() {
        Target t = biggest();
        store.inTransaction("change a 5-minute row", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE usage_5m SET bytes_in = bytes_in + 1 WHERE series_id = ?"
                    + " AND bucket_start = (SELECT MIN(bucket_start) FROM usage_5m WHERE series_id = ? AND bucket_start >= ?)")) {
                ps.setInt(1, t.seriesId());
                ps.setInt(2, t.seriesId());
                ps.setObject(3, t.day().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
        Target other = store.query("another sealed day", c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT series_id, day_start FROM usage_5m_day"
                    + " ORDER BY bytes_in, series_id, day_start")) {
                rs.next();
                return new Target(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant(), "", "", "", new byte[0]);
            }
        });
        store.inTransaction("lose a sealed day", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m_day WHERE series_id = ? AND day_start = ?")) {
                ps.setInt(1, other.seriesId());
                ps.setObject(2, other.day().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
        Verification.Result r = Verification.run(store, false);
        assertThat(r.findings()).extracting(Verification.Finding::kind)
                .containsExactlyInAnyOrder(Verification.Kind.DIFFERS, Verification.Kind.MISSING);
        assertThat(Verification.run(store, true).clean()).isTrue();
        assertThat(Verification.run(store, false).findings()).isEmpty();
    }

    @Test
    void rowsWrittenBeforeChecksumsAreReadCheckedAgainstTheirSumsAndRepairGivesThemChecksums() {
        List<String> none = new ArrayList<>();
        BillingReport before = report(none);
        List<byte[]> narrow = new ArrayList<>();
        store.inTransaction("write the old format", c -> {
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT series_id, day_start, slots FROM usage_5m_day")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getBytes(3)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE usage_5m_day SET slots = ? WHERE series_id = ? AND day_start = ?")) {
                for (Object[] row : rows) {
                    byte[] b = (byte[]) row[2];
                    byte[] old = Arrays.copyOf(b, b.length - 4);
                    old[0] = DaySlots.NARROW;
                    narrow.add(old);
                    ps.setBytes(1, old);
                    ps.setInt(2, (Integer) row[0]);
                    ps.setObject(3, row[1]);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        assertThat(report(none)).isEqualTo(before);
        assertThat(none).isEmpty();
        Verification.Result old = Verification.run(store, false);
        assertThat(old.clean()).isTrue();
        assertThat(old.uncheckedSealedRows()).isEqualTo(old.sealedRows()).isEqualTo(narrow.size());

        // a damaged value in an old row: its slots no longer add up to the row's sums
        Target t = biggest();
        flipped(t, -1);
        List<String> repaired = new ArrayList<>();
        assertThat(report(repaired)).isEqualTo(before);
        assertThat(repaired).singleElement().asString().contains("its slots add up to", "a row written before checksums");

        Verification.Result fixed = Verification.run(store, true);
        assertThat(fixed.clean()).isTrue();
        Verification.Result after = Verification.run(store, false);
        assertThat(after.findings()).isEmpty();
        assertThat(after.uncheckedSealedRows()).isZero();
    }

    @Test
    void aDamagedJournalRowRefusesTheReportAndRepairDeletesIt() {
        record Row(String host, OffsetDateTime at, byte[] entries) {
        }
        Row row = store.query("a journal row", c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT host, polled_at, entries FROM poll_journal ORDER BY polled_at DESC")) {
                assertThat(rs.next()).as("the simulation leaves an open bucket").isTrue();
                return new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getBytes(3));
            }
        });
        assertThat(JournalCodec.checked(row.entries())).isTrue();
        byte[] b = row.entries().clone();
        b[b.length / 2] ^= 0x10;
        store.inTransaction("damage the journal", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE poll_journal SET entries = ? WHERE host = ? AND polled_at = ?")) {
                ps.setBytes(1, b);
                ps.setString(2, row.host());
                ps.setObject(3, row.at());
                return ps.executeUpdate();
            }
        });
        assertThatThrownBy(() -> report(new ArrayList<>())).isInstanceOf(DamagedRowException.class)
                .hasMessageContaining("poll_journal " + row.host()).hasMessageContaining("no other copy")
                .hasMessageContaining("pfmeter verify --repair");
        assertThatThrownBy(() -> new LedgerStore(store).load(row.host())).isInstanceOf(DamagedRowException.class)
                .hasMessageContaining("cannot go on from a damaged journal");
        // the report's read and the ledger's load (a transaction of the writer) each met it once
        assertThat(store.damagedRowsMet()).isEqualTo(new AccountingStore.DamagedRowsMet(1, 1));

        Verification.Result found = Verification.run(store, false);
        assertThat(found.findings()).singleElement().satisfies(f -> assertThat(f.kind()).isEqualTo(Verification.Kind.DAMAGED));
        assertThat(Verification.run(store, true).clean()).isTrue();
        assertThat(Verification.run(store, false).findings()).isEmpty();
        assertThat(report(new ArrayList<>()).labels()).isNotEmpty();
    }

    private static SlotRows decoded(byte[] packed, Instant day) {
        SlotRows r = new SlotRows(DaySlots.SLOTS_PER_DAY);
        DaySlots.decode(packed, "original", day.getEpochSecond(), r);
        return r;
    }
}
