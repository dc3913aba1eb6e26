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
    void aJournalEntryIsOnePollsShare() {
        assertThatThrownBy(() -> new JournalCodec.Entry(1, RAW, Optional.of(new SlotUsage(0, 0, 0, 0, 0, 0, 0, 2, 0))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
