package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The byte format of poll_journal.entries, pinned byte for byte, and what a damaged row gives. */
class JournalCodecTest {

    private static final Counters RAW = new Counters(2, 300, 1, 2, 127, 128, 0);

    @Test
    void anEntryIsVarintsInTheDocumentedOrder() {
        byte[] b = JournalCodec.encode(List.of(
                new JournalCodec.Entry(1, RAW, Optional.empty()),
                new JournalCodec.Entry(200, RAW, Optional.of(new SlotUsage(1, 2, 3, 4, 5, 6, 7, 1, 1)))));
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(
                "01" + "02"                                   // version 1, two entries
                        + "01" + "00" + "02" + "ac02" + "01" + "02" + "7f" + "8001" + "00"   // series 1, not booked
                        + "c801" + "03" + "02" + "ac02" + "01" + "02" + "7f" + "8001" + "00" // series 200, booked + reset
                        + "01" + "02" + "03" + "04" + "05" + "06" + "07");
    }

    @Test
    void everyUnsigned64BitValueRoundTrips() {
        Counters extreme = new Counters(-1, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0, 1L << 62, 0xffff_ffffL);
        List<JournalCodec.Entry> entries = List.of(
                new JournalCodec.Entry(Integer.MAX_VALUE, extreme,
                        Optional.of(new SlotUsage(Long.MAX_VALUE, 0, (1L << 62) - 1, 1, 0, 0, Long.MAX_VALUE, 1, 0))),
                new JournalCodec.Entry(7, RAW, Optional.empty()));
        assertThat(JournalCodec.decode(JournalCodec.encode(entries), "r")).isEqualTo(entries);
        assertThat(JournalCodec.decode(JournalCodec.encode(List.of()), "r")).isEmpty();
    }

    @Test
    void aDamagedRowIsRefusedNamingTheRow() {
        byte[] good = JournalCodec.encode(List.of(new JournalCodec.Entry(3, RAW, Optional.empty())));
        String row = "poll_journal fw1 2026-10-01T00:00:10Z";
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> JournalCodec.decode(truncated, row)).hasMessageContaining(row).hasMessageContaining("ends in the middle");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> JournalCodec.decode(longer, row)).hasMessageContaining("1 bytes after the last entry");
        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> JournalCodec.decode(version, row)).hasMessageContaining("journal format 9");
        byte[] flags = good.clone();
        flags[3] = 4;
        assertThatThrownBy(() -> JournalCodec.decode(flags, row)).hasMessageContaining("unknown entry flags 4");
        byte[] zeroId = good.clone();
        zeroId[2] = 0;
        assertThatThrownBy(() -> JournalCodec.decode(zeroId, row)).hasMessageContaining("series id 0");
        byte[] tooLong = HexFormat.of().parseHex("0101" + "ff".repeat(10) + "01");
        assertThatThrownBy(() -> JournalCodec.decode(tooLong, row)).hasMessageContaining("longer than 64 bits");
    }

    @Test
    void aMergedRowIsVersion2WithEachEntrysAgeAndItsPollsAndResetsCounted() {
        // what LedgerStore.mergeJournal writes: per label the raw counters of its last poll in the
        // bucket, how long before the row's time they were read, and the sum of what its polls booked
        List<JournalCodec.Entry> entries = List.of(
                new JournalCodec.Entry(1, RAW, Optional.empty(), 0),
                new JournalCodec.Entry(200, RAW, Optional.of(new SlotUsage(1, 2, 3, 4, 5, 6, 7, 3, 1)), 2_000_000_000L));
        byte[] b = JournalCodec.encode(entries);
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(
                "02" + "02"                                   // version 2, two entries
                        + "01" + "00" + "00" + "02" + "ac02" + "01" + "02" + "7f" + "8001" + "00"   // series 1, age 0, not booked
                        + "c801" + "01" + "80a8d6b907"        // series 200, booked, read 2 s before the row's time
                        + "02" + "ac02" + "01" + "02" + "7f" + "8001" + "00"
                        + "01" + "02" + "03" + "04" + "05" + "06" + "07" + "03" + "01"); // 3 polls, 1 reset
        assertThat(JournalCodec.decode(b, "r")).isEqualTo(entries);
    }

    @Test
    void aPollsRowStaysVersion1AndAnEntryBooksAtLeastOnePoll() {
        // one poll's entries (age 0, one poll, at most one reset) are written as version 1
        byte[] b = JournalCodec.encode(List.of(new JournalCodec.Entry(1, RAW, Optional.of(new SlotUsage(0, 0, 0, 0, 0, 0, 0, 1, 1)), 0)));
        assertThat(b[0]).isEqualTo((byte) 1);
        assertThatThrownBy(() -> new JournalCodec.Entry(1, RAW, Optional.of(new SlotUsage(0, 0, 0, 0, 0, 0, 0, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalCodec.Entry(1, RAW, Optional.of(new SlotUsage(0, 0, 0, 0, 0, 0, 0, 2, 3))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JournalCodec.Entry(1, RAW, Optional.empty(), -1)).isInstanceOf(IllegalArgumentException.class);
        // a merged row that claims more resets than polls is refused naming the row
        byte[] bad = HexFormat.of().parseHex("0201" + "0101" + "00" + "00000000000000" + "00000000000000" + "01" + "02");
        assertThatThrownBy(() -> JournalCodec.decode(bad, "poll_journal fw1 x")).hasMessageContaining("poll_journal fw1 x")
                .hasMessageContaining("1 polls and 2 resets");
    }

    @Test
    void checkedRowsAreVersions3And4WithACrc32cOverTheHostAndTheRow() {
        List<JournalCodec.Entry> poll = List.of(new JournalCodec.Entry(1, RAW, Optional.empty()),
                new JournalCodec.Entry(200, RAW, Optional.of(new SlotUsage(1, 2, 3, 4, 5, 6, 7, 1, 1))));
        byte[] plain = JournalCodec.encode(poll);
        byte[] checked = JournalCodec.encode(poll, "fw1");
        byte[] payload = plain.clone();
        payload[0] = 3;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(new byte[] {3, 'f', 'w', '1'});                     // the host's length (varint), its UTF-8 bytes
        crc.update(payload);
        assertThat(HexFormat.of().formatHex(checked)).isEqualTo(HexFormat.of().formatHex(payload)
                + String.format("%08x", crc.getValue()));
        assertThat(JournalCodec.checked(checked)).isTrue();
        assertThat(JournalCodec.decode(checked, "fw1", "r")).isEqualTo(poll);

        List<JournalCodec.Entry> merged = List.of(new JournalCodec.Entry(1, RAW, Optional.of(new SlotUsage(1, 2, 3, 4, 5, 6, 7, 3, 1)), 10));
        byte[] m = JournalCodec.encode(merged, "fw1");
        assertThat(m[0]).isEqualTo((byte) 4);
        assertThat(JournalCodec.decode(m, "fw1", "r")).isEqualTo(merged);

        // rows written before checksums read as they are
        assertThat(JournalCodec.checked(plain)).isFalse();
        assertThat(JournalCodec.decode(plain, "fw1", "r")).isEqualTo(poll);
    }

    @Test
    void everyFlippedBitOfACheckedRowAndARowOfAnotherHostIsCaught() {
        byte[] good = JournalCodec.encode(List.of(new JournalCodec.Entry(200, RAW, Optional.of(new SlotUsage(1, 2, 3, 4, 5, 6, 7, 1, 0)))),
                "fw1");
        String row = "poll_journal fw1 2026-10-01T00:00:10Z";
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                int at = i;
                assertThatThrownBy(() -> JournalCodec.decode(bad, "fw1", row)).as("byte %d bit %d", at, bit)
                        .isInstanceOf(DamagedRowException.class).hasMessageStartingWith(row + ": ");
            }
        }
        assertThatThrownBy(() -> JournalCodec.decode(good, "fw2", row)).isInstanceOf(DamagedRowException.class)
                .hasMessageContaining("checksum mismatch");
    }
}
