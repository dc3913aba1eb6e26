package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * poll_journal rows stored in parts of {@link JournalParts#PART_BYTES} (migration V9): cut and joined
 * at the boundary sizes, through a real H2 file, and what a missing part gives. (That the space of
 * deleted journal rows is reused on H2 2.5.252 is the ledger's {@code BucketCloseSpaceTest}.)
 */
class JournalPartsTest {

    private static final int P = JournalParts.PART_BYTES;
    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-10-01T00:00:10Z");

    @TempDir
    Path dir;

    @Test
    void aPartIs256KiB() {
        assertThat(P).isEqualTo(262_144);
    }

    @Test
    void rowsAreCutIntoFullPartsAndAShorterLastOne() {
        assertThat(sizes(0)).containsExactly(0);
        assertThat(sizes(1)).containsExactly(1);
        assertThat(sizes(P - 1)).containsExactly(P - 1);
        assertThat(sizes(P)).containsExactly(P);
        assertThat(sizes(P + 1)).containsExactly(P, 1);
        assertThat(sizes(2 * P)).containsExactly(P, P);
        assertThat(sizes(2 * P + 1)).containsExactly(P, P, 1);
        assertThat(sizes(9 * P + 123)).hasSize(10).endsWith(123);
    }

    @Test
    void rowsOfOneTwoAndManyPartsComeBackAsWrittenThroughH2() {
        int[] lengths = {1, P - 1, P, P + 1, 2 * P - 1, 2 * P, 2 * P + 1, 9 * P + 123};
        List<byte[]> written = new ArrayList<>();
        Random random = new Random(15);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            store.inTransaction("write", c -> {
                for (int i = 0; i < lengths.length; i++) {
                    byte[] row = new byte[lengths[i]];
                    random.nextBytes(row);
                    written.add(row);
                    // two hosts interleaved in time, so the reader must group by host and poll
                    JournalParts.insert(c, i % 2 == 0 ? "fw1" : "fw2", T0.plusSeconds(10L * i), row);
                }
                return null;
            });
            List<JournalParts.Row> rows = readAll(store);
            assertThat(rows).hasSize(lengths.length);
            for (JournalParts.Row r : rows) {
                int i = (int) ((r.polledAt().toEpochSecond() - T0.toEpochSecond()) / 10);
                assertThat(r.host()).isEqualTo(i % 2 == 0 ? "fw1" : "fw2");
                assertThat(r.parts()).hasSize(lengths[i] / P + (lengths[i] % P == 0 ? 0 : 1));
                assertThat(r.joined()).as("row of %d bytes", lengths[i]).isEqualTo(written.get(i));
            }
        }
    }

    @Test
    void aJournalRowOfManyPartsDecodesAsEncoded() {
        List<JournalCodec.Entry> entries = entries(30_000, new Random(3));
        byte[] row = JournalCodec.encode(entries, "fw1");
        assertThat(row.length).as("a 30,000-label poll's row").isGreaterThan(2 * P);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            store.inTransaction("write", c -> {
                JournalParts.insert(c, "fw1", T0, row);
                return null;
            });
            JournalParts.Row r = readAll(store).get(0);
            assertThat(JournalCodec.decode(r.joined(), "fw1", r.name())).isEqualTo(entries);
        }
    }

    @Test
    void aMissingPartIsADamagedRow() {
        List<JournalCodec.Entry> entries = entries(30_000, new Random(4));
        byte[] row = JournalCodec.encode(entries, "fw1");
        assertThat(JournalParts.split(row)).hasSizeGreaterThan(2);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            store.inTransaction("write", c -> {
                JournalParts.insert(c, "fw1", T0, row);
                JournalParts.insert(c, "fw1", T0.plusSeconds(10), row);
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM poll_journal WHERE polled_at = ? AND part = ?")) {
                    ps.setObject(1, T0);
                    ps.setInt(2, 1);                                     // a middle part
                    ps.executeUpdate();
                    ps.setObject(1, T0.plusSeconds(10));
                    ps.setInt(2, JournalParts.split(row).size() - 1);   // the last part
                    ps.executeUpdate();
                }
                return null;
            });
            List<JournalParts.Row> rows = readAll(store);
            assertThatThrownBy(rows.get(0)::joined).isInstanceOf(DamagedRowException.class)
                    .hasMessageContaining("poll_journal fw1 2026-10-01T00:00:10Z").hasMessageContaining("part 1 is missing");
            // the parts left join, but the checksum over the whole row does not match
            JournalParts.Row cut = rows.get(1);
            assertThatThrownBy(() -> JournalCodec.decode(cut.joined(), "fw1", cut.name())).isInstanceOf(DamagedRowException.class)
                    .hasMessageContaining("poll_journal fw1 2026-10-01T00:00:20Z");
        }
    }

    private static List<Integer> sizes(int length) {
        return JournalParts.split(new byte[length]).stream().map(p -> p.length).toList();
    }

    private static List<JournalParts.Row> readAll(AccountingStore store) {
        return store.inTransaction("read", c -> readAll(c));
    }

    private static List<JournalParts.Row> readAll(Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, polled_at, part, entries FROM poll_journal ORDER BY host, polled_at, part");
             ResultSet rs = ps.executeQuery()) {
            return JournalParts.read(rs);
        }
    }

    /** A poll's entries as a busy ruleset gives them: every label moved, counters of realistic size. */
    private static List<JournalCodec.Entry> entries(int labels, Random random) {
        List<JournalCodec.Entry> entries = new ArrayList<>(labels);
        for (int id = 1; id <= labels; id++) {
            long packets = 1_000_000L + random.nextInt(1 << 30);
            Counters raw = new Counters(1 + random.nextInt(4), packets * 3, packets, packets / 2, packets * 700,
                    packets * 300, random.nextInt(10_000));
            SlotUsage booked = new SlotUsage(random.nextInt(100_000), random.nextInt(100_000), random.nextInt(1 << 28),
                    random.nextInt(1 << 28), random.nextInt(300_000), random.nextInt(500), random.nextInt(2_000), 1, 0);
            entries.add(new JournalCodec.Entry(id, raw, Optional.of(booked)));
        }
        return entries;
    }
}
