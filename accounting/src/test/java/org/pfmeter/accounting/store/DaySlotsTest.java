package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.billing.SlotRows;

/** The packed day row in both formats (fixed, of migration V5; narrow, written now), byte for byte, and what a damaged one says. */
class DaySlotsTest {

    private static final Instant DAY = Instant.parse("2026-10-05T00:00:00Z");

    @Test
    void theFixedFormatOfMigrationV5IsIndexThenFourCountersBigEndianAndStillReads() {
        DaySlots d = new DaySlots();
        d.add(DAY, DAY.plusSeconds(287 * 300), 1, 2, Long.MAX_VALUE, 0);
        d.add(DAY, DAY.plusSeconds(300), 3, 4, 0x0102, 0x0304);
        // two rows of one slot (two hosts, say) add up
        d.add(DAY, DAY.plusSeconds(300), 5, 6, 1, 1);
        assertThat(HexFormat.of().formatHex(d.encodeFixed())).isEqualTo(
                "0001" + "0000000000000008" + "000000000000000a" + "0000000000000103" + "0000000000000305"
                        + "011f" + "0000000000000001" + "0000000000000002" + "7fffffffffffffff" + "0000000000000000");
        assertThat(d.packetsIn()).isEqualTo(9);
        assertThat(d.packetsOut()).isEqualTo(12);
        assertThat(d.bytesIn()).isEqualTo(Long.MAX_VALUE + 259);
        assertThat(d.bytesOut()).isEqualTo(773);
        assertThat(decoded(d.encodeFixed())).containsExactly("1:8:10:259:773", "287:1:2:" + Long.MAX_VALUE + ":0");
    }

    @Test
    void theNarrowFormatIsBitmapThenWidthsThenColumnsOfJustTheBytesTheirLargestValueNeeds() {
        DaySlots d = new DaySlots();
        d.add(DAY, DAY.plusSeconds(287 * 300), 1, 2, 0x01_0000, 0);
        d.add(DAY, DAY.plusSeconds(300), 3, 4, 0x0102, 0);
        d.add(DAY, DAY.plusSeconds(300), 5, 0x1_0000_0000L - 4, 1, 0);
        d.add(DAY, DAY, 0, 0, 7, 0);
        String bitmap = "03" + "00".repeat(34) + "80";                  // slots 0, 1 and 287
        assertThat(HexFormat.of().formatHex(d.encode())).isEqualTo("02" + bitmap
                + "15" + "30"                                           // widths: 1, 5 | 3, 0
                + "00" + "08" + "01"                                    // packets in, 1 byte each
                + "0000000000" + "0100000000" + "0000000002"            // packets out, 5 bytes each (2^32 needs 5)
                + "000007" + "000103" + "010000");                      // bytes in, 3 bytes; bytes out: none
        assertThat(decoded(d.encode())).containsExactly("0:0:0:7:0", "1:8:4294967296:259:0", "287:1:2:65536:0");
    }

    @Test
    void bothFormatsDecodeAlikeFromAnEmptyDayToCountersAbove2To63() {
        List<DaySlots> days = new ArrayList<>();
        days.add(new DaySlots());                                       // a day with no row: no bytes at all
        DaySlots edges = new DaySlots();                                // the first and last slot, unsigned counters past 2^63
        edges.add(DAY, DAY, -1, Long.MIN_VALUE, 0x8000_0000_0000_0001L, 1);
        edges.add(DAY, DAY.plusSeconds(287 * 300), 0, 0, 0, 0);         // a row that moved nothing
        days.add(edges);
        java.util.Random r = new java.util.Random(15);
        for (int w = 0; w <= 8; w++) {                                  // full days of every width from 0 to 8
            DaySlots full = new DaySlots();
            long mask = w == 8 ? -1L : (1L << (8 * w)) - 1;
            for (int i = 0; i < DaySlots.SLOTS_PER_DAY; i++) {
                full.add(DAY, DAY.plusSeconds(300L * i), r.nextLong() & mask, r.nextLong() & mask, r.nextLong() & mask,
                        (r.nextLong() & mask) >>> 4);
            }
            days.add(full);
        }
        DaySlots sparse = new DaySlots();                               // a host that polled now and then
        for (int i = 3; i < DaySlots.SLOTS_PER_DAY; i += 7) {
            sparse.add(DAY, DAY.plusSeconds(300L * i), i, 2L * i, 1L << (i % 64), 3);
        }
        days.add(sparse);
        for (DaySlots d : days) {
            assertThat(decoded(d.encode())).isEqualTo(decoded(d.encodeFixed())).isEqualTo(added(d));
        }
        assertThat(new DaySlots().encode()).isEmpty();
        assertThat(decoded(edges.encode())).containsExactly(
                "0:-1:" + Long.MIN_VALUE + ":" + 0x8000_0000_0000_0001L + ":1", "287:0:0:0:0");
        // a full day of counters under 4 GB a slot: 4 KB instead of the fixed format's 9.8 KB
        DaySlots month = new DaySlots();
        for (int i = 0; i < DaySlots.SLOTS_PER_DAY; i++) {
            month.add(DAY, DAY.plusSeconds(300L * i), 0xff_ffffL, 0xff_ffffL, 0xffff_ffffL, 0xffff_ffffL);
        }
        assertThat(month.encode()).hasSize(1 + 36 + 2 + 288 * 14);
        assertThat(month.encodeFixed()).hasSize(288 * 34);
    }

    @Test
    void aDecodedDayGoesIntoSlotRowsColumnByColumnWithTheDayAsBase() {
        DaySlots d = new DaySlots();
        d.add(DAY, DAY.plusSeconds(600), 1, 2, 3, 4);
        d.add(DAY, DAY.plusSeconds(86_100), 5, 6, 7, 8);
        for (byte[] packed : List.of(d.encode(), d.encodeFixed())) {
            SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
            DaySlots.decode(packed, "r", DAY.getEpochSecond(), rows);
            assertThat(rows.base()).isEqualTo(DAY.getEpochSecond());
            assertThat(rows.size()).isEqualTo(2);
            assertThat(rows.slots()).startsWith(2, 287);
            assertThat(rows.packetsIn()).startsWith(1, 5);
            assertThat(rows.packetsOut()).startsWith(2, 6);
            assertThat(rows.bytesIn()).startsWith(3, 7);
            assertThat(rows.bytesOut()).startsWith(4, 8);
            // a month starting at 23:50 and ending a day later at 23:55 (another time zone) keeps the rows in it
            rows.keep(DAY.getEpochSecond() + 900, DAY.getEpochSecond() + 86_100);
            assertThat(rows.size()).isZero();
        }
        assertThatThrownBy(() -> DaySlots.decode(d.encode(), "r", 0, new SlotRows(100)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> decoded(byte[] packed) {
        List<String> slots = new ArrayList<>();
        DaySlots.decode(packed, "test", (i, pin, pout, in, out) -> slots.add(i + ":" + pin + ":" + pout + ":" + in + ":" + out));
        return slots;
    }

    /** What was added, slot by slot, from the day's fixed encoding read with a ByteBuffer as the V5 decoder did. */
    private static List<String> added(DaySlots d) {
        List<String> slots = new ArrayList<>();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d.encodeFixed());
        while (b.hasRemaining()) {
            slots.add(b.getShort() + ":" + b.getLong() + ":" + b.getLong() + ":" + b.getLong() + ":" + b.getLong());
        }
        return slots;
    }

    @Test
    void aRowOffTheDayOrADamagedRowIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new DaySlots().add(DAY, DAY.plusSeconds(86_400), 0, 0, 0, 0))
                .hasMessageContaining("2026-10-06T00:00:00Z").hasMessageContaining("not a slot of the day 2026-10-05");
        assertThatThrownBy(() -> new DaySlots().add(DAY, DAY.plusSeconds(301), 0, 0, 0, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DaySlots.decode(new byte[33], "fw1 web 2026-10-05", (i, pin, pout, in, out) -> { }))
                .hasMessageContaining("fw1 web 2026-10-05").hasMessageContaining("33 bytes");
        byte[] twice = HexFormat.of().parseHex("0005" + "00".repeat(32) + "0005" + "00".repeat(32));
        assertThatThrownBy(() -> DaySlots.decode(twice, "r", (i, pin, pout, in, out) -> { })).hasMessageContaining("slot 5 after slot 5");
        byte[] beyond = HexFormat.of().parseHex("0120" + "00".repeat(32));
        assertThatThrownBy(() -> DaySlots.decode(beyond, "r", (i, pin, pout, in, out) -> { })).hasMessageContaining("slot 288");
        byte[] shortHead = HexFormat.of().parseHex("02" + "ff".repeat(10));
        assertThatThrownBy(() -> DaySlots.decode(shortHead, "fw1 web 2026-10-05", (i, pin, pout, in, out) -> { }))
                .hasMessageContaining("fw1 web 2026-10-05").hasMessageContaining("11 bytes");
        byte[] wide = HexFormat.of().parseHex("02" + "01" + "00".repeat(35) + "90" + "00" + "00".repeat(9));
        assertThatThrownBy(() -> DaySlots.decode(wide, "r", (i, pin, pout, in, out) -> { })).hasMessageContaining("9 bytes wide");
        byte[] truncated = HexFormat.of().parseHex("02" + "03" + "00".repeat(35) + "10" + "00" + "05");
        assertThatThrownBy(() -> DaySlots.decode(truncated, "r", (i, pin, pout, in, out) -> { }))
                .hasMessageContaining("40 bytes of slots, but its 2 slots of widths [1, 0, 0, 0] take 41");
    }

    @Test
    void dayOfIsTheUtcMidnightAtOrBefore() {
        assertThat(DaySlots.dayOf(Instant.parse("2026-10-05T23:59:59.999Z"))).isEqualTo(DAY);
        assertThat(DaySlots.dayOf(DAY)).isEqualTo(DAY);
        assertThat(DaySlots.dayOf(Instant.parse("1969-12-31T12:00:00Z"))).isEqualTo(Instant.parse("1969-12-31T00:00:00Z"));
    }

    private static DaySlots.Row rowOf(int seriesId, Instant day, DaySlots d) {
        return new DaySlots.Row(seriesId, day.getEpochSecond(), d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut());
    }

    private static DaySlots sample() {
        DaySlots d = new DaySlots();
        d.add(DAY, DAY.plusSeconds(287 * 300), 1, 2, 0x01_0000, 9);
        d.add(DAY, DAY.plusSeconds(300), 3, 4, 0x0102, 0);
        d.add(DAY, DAY, 0, 0, 7, 1L << 40);
        return d;
    }

    @Test
    void theCheckedFormatIsTheNarrowOneAsFormat3WithACrc32cOverSeriesDaySumsAndBytes() {
        DaySlots d = sample();
        byte[] narrow = d.encode();
        byte[] checked = d.encode(7, DAY);
        byte[] payload = narrow.clone();
        payload[0] = 3;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(java.nio.ByteBuffer.allocate(44).putInt(7).putLong(DAY.getEpochSecond()).putLong(4).putLong(6)
                .putLong(0x01_0000 + 0x0102 + 7).putLong(9 + (1L << 40)).array());
        crc.update(payload);
        assertThat(HexFormat.of().formatHex(checked)).isEqualTo(HexFormat.of().formatHex(payload)
                + String.format("%08x", crc.getValue()));
        SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        assertThat(DaySlots.decode(checked, rowOf(7, DAY, d), "r", rows)).as("checksummed").isTrue();
        assertThat(DaySlots.checked(checked)).isTrue();
        assertThat(decoded(checked)).isEqualTo(decoded(narrow)).containsExactly("0:0:0:7:1099511627776", "1:3:4:258:0",
                "287:1:2:65536:9");
        assertThat(new DaySlots().encode(7, DAY)).isEmpty();
    }

    @Test
    void everyFlippedBitOfACheckedRowAndARowOfAnotherSeriesDayOrSumsIsCaught() {
        DaySlots d = sample();
        DaySlots.Row row = rowOf(7, DAY, d);
        byte[] good = d.encode(7, DAY);
        SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                int at = i;
                assertThatThrownBy(() -> DaySlots.decode(bad, row, "fw1 web 2026-10-05", rows)).as("byte %d bit %d", at, bit)
                        .isInstanceOf(DamagedRowException.class).hasMessageStartingWith("usage_5m_day fw1 web 2026-10-05: ");
            }
        }
        for (DaySlots.Row other : List.of(rowOf(8, DAY, d), rowOf(7, DAY.plus(DaySlots.DAY), d),
                new DaySlots.Row(7, DAY.getEpochSecond(), d.packetsIn(), d.packetsOut(), d.bytesIn() + 1, d.bytesOut()))) {
            assertThatThrownBy(() -> DaySlots.decode(good, other, "r", rows)).isInstanceOf(DamagedRowException.class)
                    .hasMessageContaining("checksum mismatch");
        }
        assertThatThrownBy(() -> DaySlots.decode(java.util.Arrays.copyOf(good, 20), row, "r", rows))
                .isInstanceOf(DamagedRowException.class).hasMessageContaining("too short");
    }

    @Test
    void rowsWrittenBeforeChecksumsStillReadAndMustAddUpToTheirSums() {
        DaySlots d = sample();
        DaySlots.Row row = rowOf(7, DAY, d);
        SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        for (byte[] old : List.of(d.encode(), d.encodeFixed())) {
            assertThat(DaySlots.decode(old, row, "r", rows)).as("not checksummed").isFalse();
            assertThat(rows.size()).isEqualTo(3);
            assertThat(DaySlots.checked(old)).isFalse();
            byte[] bad = old.clone();
            bad[bad.length - 2] ^= 0x01;                                // a byte of the last bytes-out value
            assertThatThrownBy(() -> DaySlots.decode(bad, row, "fw1 web 2026-10-05", rows)).isInstanceOf(DamagedRowException.class)
                    .hasMessageContaining("usage_5m_day fw1 web 2026-10-05: its slots add up to")
                    .hasMessageContaining("a row written before checksums");
            assertThatThrownBy(() -> DaySlots.decode(java.util.Arrays.copyOf(old, old.length - 1), row, "r", rows))
                    .isInstanceOf(DamagedRowException.class);
        }
    }
}
