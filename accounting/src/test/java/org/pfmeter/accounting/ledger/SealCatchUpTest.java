package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * Days left unsealed (as the upgrade to schema v5 leaves every day) are sealed again several a
 * poll, within {@link Ledger#SEAL_BUDGET} of the ledger's clock, and a kill between two seals loses
 * nothing. The budget is measured with the injected clock, so the number of polls is exact.
 */
class SealCatchUpTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String SUM = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final int DAYS = 12;
    /**
     * The first poll after the history: its bucket (00:05 on 13 October) makes 13 days due, 30
     * September (the day of the first poll's slot, empty: the first poll is the baseline) to 12 October.
     */
    private static final Instant RESUME = T0.plus(Duration.ofDays(DAYS)).plusSeconds(600);

    @TempDir
    Path dir;

    /** The sealed days as the ledger wrote them while the history was made: what re-sealing must give. */
    private Map<String, String> sealedOriginally;

    /** A store with 12 days of polls every hour, all sealed, then its sealed days emptied, as V5 does. */
    @BeforeEach
    void twelveDaysOfHistoryThenUnsealed() throws SQLException {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            for (Instant t = T0; !t.isAfter(T0.plus(Duration.ofDays(DAYS))); t = t.plus(Duration.ofHours(1))) {
                assertThat(ledger.record("fw1", poll(t)).outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
            }
            // opens the bucket of 13 October 00:00, which closes 12 October 23:55 and seals 12 October
            ledger.record("fw1", poll(T0.plus(Duration.ofDays(DAYS)).plusSeconds(300)));
        }
        sealedOriginally = sealedDays();
        assertThat(sealedOriginally.keySet().stream().map(k -> k.substring(k.indexOf('|') + 1)).distinct()).hasSize(DAYS);
        assertThat(sealedUntil()).isEqualTo(day(DAYS));
        sql("DELETE FROM usage_5m_day", "UPDATE pf_host SET sealed_until = NULL");
        assertThat(sealedDays()).isEmpty();
    }

    @Test
    void aLedgerWhoseClockDoesNotMoveSealsEveryDueDayInOnePoll() throws SQLException {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            ledger.record("fw1", poll(RESUME));
            assertThat(sealedUntil()).isEqualTo(T0.plus(Duration.ofDays(DAYS)));
        }
        assertThat(sealedDays()).isEqualTo(sealedOriginally).isEqualTo(fromFiveMinuteRows());
    }

    @Test
    void eachPollSealsDaysUntilTheBudgetIsSpentSoThirteenDaysTakeFivePolls() throws SQLException {
        // every reading of the clock is 700 ms later: sealing reads it once before the first day and
        // once after each, so a poll seals days while 0.7, 1.4 s < 2 s and stops at 2.1 s: 3 days
        Clock ticking = new Ticking(Duration.ofMillis(700));
        List<Instant> sealed = new ArrayList<>();
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), ticking);
            for (int k = 0; k < 5; k++) {
                ledger.record("fw1", poll(RESUME.plus(Duration.ofMinutes(5L * k))));
                sealed.add(sealedUntil());
            }
        }
        assertThat(sealed).containsExactly(day(2), day(5), day(8), day(11), day(12));
        assertThat(sealedDays()).isEqualTo(sealedOriginally).isEqualTo(fromFiveMinuteRows());
    }

    @Test
    void aKillBetweenTwoSealsOfOnePollLosesNothing() throws SQLException {
        // the process dies after the second seal of the first poll (the clock's third reading):
        // each day is its own transaction, so two days are sealed and the rest are not
        AccountingStore store = AccountingStore.open(StoreConfig.h2(dir));
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), new Dying(3));
        assertThatThrownBy(() -> ledger.record("fw1", poll(RESUME))).isInstanceOf(Killed.class);
        store.abandon();
        assertThat(sealedUntil()).isEqualTo(day(1));
        try (AccountingStore again = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger next = new Ledger(again, LedgerOptions.defaults(), new Ticking(Duration.ofMillis(700)));
            // the poll of RESUME was committed before the kill: a later one goes on from there
            assertThat(next.record("fw1", poll(RESUME)).outcome()).isEqualTo(RecordResult.Outcome.SKIPPED_STALE);
            next.record("fw1", poll(RESUME.plusSeconds(300)));
            assertThat(sealedUntil()).isEqualTo(day(4));
            // a kill -9 between the polls of a catch-up
            again.abandon();
        }
        try (AccountingStore again = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger next = new Ledger(again, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            next.record("fw1", poll(RESUME.plusSeconds(600)));
            assertThat(sealedUntil()).isEqualTo(day(12));
        }
        assertThat(sealedDays()).isEqualTo(sealedOriginally).isEqualTo(fromFiveMinuteRows());
    }

    // ---------------------------------------------------------------------------------------------

    private static Instant day(int sealedDays) {
        return T0.plus(Duration.ofDays(sealedDays));
    }

    /**
     * Three labels whose counters grow with time: "web" every poll, "mail" every other hour, "idle"
     * never after the first poll.
     */
    private static PfSnapshot poll(Instant t) {
        long s = Duration.between(T0, t).getSeconds();
        long mail = s / 7200 * 50;
        return snapshot(t, SUM, 20, label("", "web", s, s / 2, s * 1000, s * 300),
                label("", "mail", mail, mail, mail * 900, mail * 100), label("", "idle", 1, 1, 100, 100));
    }

    /** Per label and day: the day's sums and every slot, as usage_5m_day holds them. */
    private Map<String, String> sealedDays() throws SQLException {
        Map<String, String> m = new TreeMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.label, d.day_start, d.packets_in, d.packets_out, d.bytes_in, d.bytes_out,"
                     + " d.slots FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id")) {
            while (rs.next()) {
                String k = rs.getString(1) + "|" + rs.getObject(2, OffsetDateTime.class).toInstant();
                StringBuilder v = new StringBuilder(rs.getLong(3) + " " + rs.getLong(4) + " " + rs.getLong(5) + " " + rs.getLong(6) + ":");
                DaySlots.decode(rs.getBytes(7), k, (i, pin, pout, bin, bout) ->
                        v.append(' ').append(i).append('=').append(pin).append('/').append(pout).append('/').append(bin).append('/').append(bout));
                m.put(k, v.toString());
            }
        }
        return m;
    }

    /** The same, computed from the 5-minute rows of the days sealed. */
    private Map<String, String> fromFiveMinuteRows() throws SQLException {
        Map<String, DaySlots> days = new TreeMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.label, u.bucket_start, u.packets_in, u.packets_out, u.bytes_in, u.bytes_out"
                     + " FROM usage_5m u JOIN series s ON s.series_id = u.series_id"
                     + " WHERE u.bucket_start < TIMESTAMP WITH TIME ZONE '2026-10-13 00:00:00+00'"
                     + " ORDER BY u.bucket_start")) {
            while (rs.next()) {
                Instant bucket = rs.getObject(2, OffsetDateTime.class).toInstant();
                Instant day = DaySlots.dayOf(bucket);
                days.computeIfAbsent(rs.getString(1) + "|" + day, k -> new DaySlots())
                        .add(day, bucket, rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
        Map<String, String> m = new TreeMap<>();
        days.forEach((k, d) -> {
            StringBuilder v = new StringBuilder(d.packetsIn() + " " + d.packetsOut() + " " + d.bytesIn() + " " + d.bytesOut() + ":");
            DaySlots.decode(d.encode(), k, (i, pin, pout, bin, bout) ->
                    v.append(' ').append(i).append('=').append(pin).append('/').append(pout).append('/').append(bin).append('/').append(bout));
            m.put(k, v.toString());
        });
        assertThat(SlotGrid.LENGTH).isEqualTo(Duration.ofMinutes(5));
        return m;
    }

    private Instant sealedUntil() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sealed_until FROM pf_host WHERE host = 'fw1'")) {
            rs.next();
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(StoreConfig.h2(dir).url());
    }

    /** A clock that is {@code step} later at each reading. */
    private static final class Ticking extends Clock {
        private final Duration step;
        private Instant now = T0;

        Ticking(Duration step) {
            this.step = step;
        }

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plus(step);
            return t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** The process ends here (an Error: nothing in the ledger catches it). */
    private static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed");
        }
    }

    /** A clock whose {@code n}th reading is the process dying (the ledger reads it only while sealing here). */
    private static final class Dying extends Clock {
        private int left;

        Dying(int n) {
            this.left = n;
        }

        @Override
        public Instant instant() {
            if (--left == 0) {
                throw new Killed();
            }
            return T0;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
