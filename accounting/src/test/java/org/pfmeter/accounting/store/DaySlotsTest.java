package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packed day row of migration V3, byte for byte, and what a damaged one says. */
class DaySlotsTest {

    private static final Instant DAY = Instant.parse("2026-10-05T00:00:00Z");

    @Test
    void slotsArePackedInAscendingOrderAsIndexThenBytesInAndOutBigEndian() {
        DaySlots d = new DaySlots();
        d.add(DAY, DAY.plusSeconds(287 * 300), 1, 2, Long.MAX_VALUE, 0);
        d.add(DAY, DAY.plusSeconds(300), 3, 4, 0x0102, 0x0304);
        // two rows of one slot (two hosts, say) add up
        d.add(DAY, DAY.plusSeconds(300), 5, 6, 1, 1);
        assertThat(HexFormat.of().formatHex(d.encode())).isEqualTo(
                "0001" + "0000000000000008" + "000000000000000a" + "0000000000000103" + "0000000000000305"
                        + "011f" + "0000000000000001" + "0000000000000002" + "7fffffffffffffff" + "0000000000000000");
        assertThat(d.packetsIn()).isEqualTo(9);
        assertThat(d.packetsOut()).isEqualTo(12);

        List<String> slots = new ArrayList<>();
        DaySlots.decode(d.encode(), "test", (i, pin, pout, in, out) -> slots.add(i + ":" + pin + ":" + pout + ":" + in + ":" + out));
        assertThat(slots).containsExactly("1:8:10:259:773", "287:1:2:" + Long.MAX_VALUE + ":0");
        assertThat(d.bytesIn()).isEqualTo(Long.MAX_VALUE + 259);
        assertThat(d.bytesOut()).isEqualTo(773);
        assertThat(new DaySlots().encode()).isEmpty();
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
    }

    @Test
    void dayOfIsTheUtcMidnightAtOrBefore() {
        assertThat(DaySlots.dayOf(Instant.parse("2026-10-05T23:59:59.999Z"))).isEqualTo(DAY);
        assertThat(DaySlots.dayOf(DAY)).isEqualTo(DAY);
        assertThat(DaySlots.dayOf(Instant.parse("1969-12-31T12:00:00Z"))).isEqualTo(Instant.parse("1969-12-31T00:00:00Z"));
    }
}
