package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.JournalEntry;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.accounting.store.StoredCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.TableAction;

/**
 * One poll's accounting without a database: which labels the journal stores (only those that
 * changed or moved), what each books, and the audit trail.
 */
class PollAccountingTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(10);
    private static final LabelKey WEB = new LabelKey("", "web");
    private static final LabelKey IDLE = new LabelKey("", "idle");
    private static final LabelKey ACME = new LabelKey("customers/acme", "web");

    private static LabelCounters l(LabelKey k, long pin, long bin, long statesCur) {
        return new LabelCounters(k.anchor(), k.label(), 1, pin, pin, 0, bin, 0, statesCur, 0);
    }

    private static Observation poll(Instant at, String checksum, LabelCounters... labels) {
        return new Observation("fw1", at, checksum, 7, List.of(labels));
    }

    private static PollAccounting.Previous before(String checksum, LabelCounters... labels) {
        Map<SeriesKey, StoredCounters> m = new java.util.HashMap<>();
        for (LabelCounters l : labels) {
            m.put(SeriesKey.label(l.key()), new StoredCounters(Counters.of(l), T0));
        }
        return new PollAccounting.Previous(checksum, 7, m);
    }

    @Test
    void theFirstPollStoresEveryLabelAsTheBaselineAndBooksNothing() {
        PollAccounting.Accounted a = PollAccounting.account(Optional.empty(),
                poll(T0, "c1", l(WEB, 10, 1000, 0), l(IDLE, 0, 0, 0)));
        assertThat(a.change()).isEqualTo(HostChange.FIRST);
        assertThat(a.entries()).extracting(JournalEntry::key).containsExactly(SeriesKey.label(WEB), SeriesKey.label(IDLE));
        assertThat(a.entries()).allSatisfy(e -> assertThat(e.booked()).isEmpty());
        assertThat(a.events()).extracting(LedgerStore.Event::kind).containsExactly("baseline");
        assertThat(a.resets()).isZero();
    }

    @Test
    void onlyLabelsThatChangedAreStoredAndOnlyThoseThatMovedAreBooked() {
        PollAccounting.Previous p = before("c1", l(WEB, 10, 1000, 0), l(IDLE, 5, 500, 0), l(ACME, 1, 100, 0));
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(p),
                poll(T1, "c1", l(WEB, 12, 1500, 0), l(IDLE, 5, 500, 0), l(ACME, 1, 100, 3)));
        assertThat(a.deltas()).hasSize(3);
        // web moved; idle did not change at all; acme's counters did not change, but it holds states,
        // which books a row (states_max), as the ledger always did
        assertThat(a.entries()).extracting(JournalEntry::key).containsExactly(SeriesKey.label(WEB), SeriesKey.label(ACME));
        assertThat(a.entries().get(0).booked()).contains(new SlotUsage(2, 0, 500, 0, 2, 0, 0, 1, 0));
        assertThat(a.entries().get(0).raw()).isEqualTo(new Counters(1, 12, 12, 0, 1500, 0, 0));
        assertThat(a.entries().get(1).booked()).contains(new SlotUsage(0, 0, 0, 0, 0, 0, 3, 1, 0));
        assertThat(a.events()).isEmpty();
    }

    @Test
    void aReloadOfTheMainRulesetBooksTheCurrentValueAndIsInTheAuditTrail() {
        PollAccounting.Previous p = before("c1", l(WEB, 10, 1000, 0), l(ACME, 10, 1000, 0));
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(p),
                poll(T1, "c2", l(WEB, 3, 300, 0), l(ACME, 11, 1100, 0)));
        assertThat(a.change()).isEqualTo(new HostChange(false, true, false));
        assertThat(a.entries().get(0).booked()).contains(new SlotUsage(3, 0, 300, 0, 3, 0, 0, 1, 1));
        // an anchor's label is not reset by a main-ruleset reload
        assertThat(a.entries().get(1).booked()).contains(new SlotUsage(1, 0, 100, 0, 1, 0, 0, 1, 0));
        assertThat(a.resets()).isEqualTo(1);
        assertThat(a.events()).extracting(LedgerStore.Event::kind, LedgerStore.Event::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ruleset-changed", new LabelKey("", "")),
                        org.assertj.core.groups.Tuple.tuple("ruleset-reloaded", WEB));
    }

    @Test
    void aNewLabelCountsFromZeroAndIsStored() {
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(before("c1")), poll(T1, "c1", l(WEB, 4, 400, 0)));
        assertThat(a.entries()).singleElement().satisfies(e -> {
            assertThat(e.booked()).contains(new SlotUsage(4, 0, 400, 0, 4, 0, 0, 1, 1));
            assertThat(e.raw().bytesIn()).isEqualTo(400);
        });
        assertThat(a.events()).extracting(LedgerStore.Event::kind).containsExactly("new-label");
    }

    @Test
    void aLabelTwiceInOnePollIsRefused() {
        assertThatThrownBy(() -> PollAccounting.account(Optional.empty(), poll(T0, "c1", l(WEB, 1, 1, 0), l(WEB, 2, 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    // ---- tables and addresses ----------------------------------------------------------------

    private static final org.pfmeter.pf.model.TableKey NETS = new org.pfmeter.pf.model.TableKey("", "nets");

    private static org.pfmeter.pf.model.TableStats table(long bytesIn, long cleared) {
        long[] p = new long[8];
        long[] b = new long[8];
        b[2] = bytesIn;       // in, pass
        b[3] = 1;             // in, xpass: a table's sums include it
        p[2] = bytesIn / 100;
        return new org.pfmeter.pf.model.TableStats("", "nets", 0, 1, 0, 0, p, b, cleared, 1, 0);
    }

    private static Observation tablePoll(Instant at, String checksum, org.pfmeter.pf.model.TableStats t) {
        return new Observation("fw1", at, checksum, 7, List.of(), List.of(t), List.of());
    }

    /** The table's sum and each action's series as the ledger stored them at T0. */
    private static PollAccounting.Previous tableBefore(String checksum, org.pfmeter.pf.model.TableStats t) {
        Map<SeriesKey, StoredCounters> latest = new java.util.HashMap<>();
        for (SeriesCounters s : SeriesCounters.tables(List.of(t))) {
            latest.put(s.key(), new StoredCounters(s.counters(), T0));
        }
        return new PollAccounting.Previous(checksum, 7, latest, Optional.of(T0));
    }

    private static JournalEntry entry(PollAccounting.Accounted a, SeriesKey k) {
        return a.entries().stream().filter(e -> e.key().equals(k)).findFirst().orElseThrow(() -> new AssertionError("no entry for " + k));
    }

    @Test
    void aTableIsItsSumAndOneSeriesPerActionSharingItsTzero() {
        org.pfmeter.pf.model.TableStats t = table(1_000, 5);
        // 3 lookups matched, 4 did not
        t = new org.pfmeter.pf.model.TableStats("", "nets", 0, 1, 3, 4, t.packets(), t.bytes(), 5, 1, 0);
        List<SeriesCounters> l = SeriesCounters.tables(List.of(t));
        assertThat(l).extracting(s -> s.key().kind()).containsExactly(SeriesKind.TABLE, SeriesKind.TABLE_BLOCK,
                SeriesKind.TABLE_MATCH, SeriesKind.TABLE_PASS, SeriesKind.TABLE_XPASS);
        assertThat(l).extracting(s -> s.counters().bytesIn()).containsExactly(1_001L, 0L, 0L, 1_000L, 1L);
        assertThat(l).extracting(s -> s.counters().rules()).containsOnly(5);
        assertThat(l).extracting(s -> s.counters().evaluations()).as("lookups stay with the sum").containsExactly(7L, 0L, 0L, 0L, 0L);
    }

    @Test
    void aTableGrowsByItsDeltaAndAReloadOfTheMainRulesetIsNoResetForIt() {
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(tableBefore("c1", table(1_000, 5))),
                tablePoll(T1, "c2", table(1_500, 5)));
        assertThat(a.entries()).as("the sum and pass moved; block, match, xpass did not")
                .extracting(e -> e.key().kind()).containsExactlyInAnyOrder(SeriesKind.TABLE, SeriesKind.TABLE_PASS);
        assertThat(entry(a, SeriesKey.table(NETS))).satisfies(e -> {
            assertThat(e.booked().orElseThrow().bytesIn()).isEqualTo(500);
            assertThat(e.booked().orElseThrow().resets()).isZero();
        });
        assertThat(entry(a, SeriesKey.tableAction(NETS, TableAction.PASS)).booked().orElseThrow().bytesIn()).isEqualTo(500);
        assertThat(a.tableResets()).isZero();
        assertThat(a.deltas()).as("label deltas only").isEmpty();
    }

    @Test
    void aNewTzeroCountsTheCurrentValueAndIsInTheAuditTrail() {
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(tableBefore("c1", table(1_000, 5))),
                tablePoll(T1, "c1", table(1_500, 9)));
        assertThat(entry(a, SeriesKey.table(NETS))).satisfies(e -> {
            assertThat(e.booked().orElseThrow().bytesIn()).isEqualTo(1_501);
            assertThat(e.booked().orElseThrow().resets()).isOne();
        });
        // every action's series counts its current value too; the reset is counted and logged once
        assertThat(entry(a, SeriesKey.tableAction(NETS, TableAction.PASS)).booked().orElseThrow().bytesIn()).isEqualTo(1_500);
        assertThat(entry(a, SeriesKey.tableAction(NETS, TableAction.XPASS)).booked().orElseThrow().bytesIn()).isEqualTo(1);
        assertThat(entry(a, SeriesKey.tableAction(NETS, TableAction.BLOCK)).booked().orElseThrow().resets()).isOne();
        assertThat(a.tableResets()).isOne();
        assertThat(a.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("table-counters-cleared");
            assertThat(e.key()).isEqualTo(new LabelKey("", "nets"));
            assertThat(e.detail()).contains("5 -> 9");
        });
    }

    @Test
    void aTableSeenFirstCountsItsValueOnlyWhenClearedSinceThePreviousPoll() {
        PollAccounting.Previous empty = new PollAccounting.Previous("c1", 7, Map.of(), Optional.of(T0));
        PollAccounting.Accounted created = PollAccounting.account(Optional.of(empty),
                tablePoll(T1, "c1", table(300, T0.getEpochSecond() + 3)));
        assertThat(created.entries().get(0).booked().orElseThrow().bytesIn()).isEqualTo(301);
        assertThat(entry(created, SeriesKey.tableAction(NETS, TableAction.PASS)).booked().orElseThrow().bytesIn()).isEqualTo(300);
        PollAccounting.Accounted older = PollAccounting.account(Optional.of(empty),
                tablePoll(T1, "c1", table(300, T0.getEpochSecond() - 3)));
        assertThat(older.entries()).hasSize(5).allSatisfy(e -> assertThat(e.booked()).isEmpty());
    }

    @Test
    void afterTheUpgradeToV10TheSumGoesOnAndTheActionsStartFromTheirBaseline() {
        // what schema v9 stored: the sum only
        SeriesCounters sum = SeriesCounters.tables(List.of(table(1_000, 5))).get(0);
        PollAccounting.Previous v9 = new PollAccounting.Previous("c1", 7,
                Map.of(sum.key(), new StoredCounters(sum.counters(), T0)), Optional.of(T0));
        PollAccounting.Accounted a = PollAccounting.account(Optional.of(v9), tablePoll(T1, "c1", table(1_500, 5)));
        assertThat(entry(a, SeriesKey.table(NETS)).booked().orElseThrow().bytesIn()).as("no gap in the sum").isEqualTo(500);
        assertThat(a.entries()).filteredOn(e -> e.key().kind() != SeriesKind.TABLE).hasSize(4)
                .allSatisfy(e -> assertThat(e.booked()).as("%s: its baseline", e.key()).isEmpty());
        assertThat(a.tableResets()).isZero();
        assertThat(a.events()).isEmpty();
    }
}
