package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesAndCsvTest {

    @Test
    void theTopFivePercentAreDiscardedRoundedDown() {
        assertThat(Percentiles.index95(8640)).isEqualTo(8207);     // 30 days: 432 discarded
        assertThat(Percentiles.index95(8928)).isEqualTo(8481);     // 31 days: 446 discarded
        assertThat(Percentiles.index95(20)).isEqualTo(18);
        assertThat(Percentiles.index95(19)).isEqualTo(18);         // fewer than 20: the peak
        assertThat(Percentiles.index95(1)).isZero();
        for (int n = 1; n < 20_000; n++) {
            assertThat(Percentiles.index95(n)).isEqualTo((int) Math.ceil(0.95 * n - 1e-9) - 1);
        }
    }

    @Test
    void slotsWithoutDataCountAsZero() {
        // 100 slots, 10 with data: sorted, 90 zeros then 1..10; index 94 is the 5th of the ten values
        long[] values = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertThat(Percentiles.p95(values, 100)).isEqualTo(5);
        assertThat(Percentiles.p95(values, 200)).isZero();
        assertThat(Percentiles.p95(new long[0], 0)).isZero();
        assertThat(Percentiles.bitsPerSecond(300)).isEqualTo(8.0);
    }

    @Test
    void csvCellsThatASpreadsheetWouldEvaluateBecomeText() {
        assertThat(Csv.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assertThat(Csv.cell("+1")).isEqualTo("'+1");
        assertThat(Csv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell("\tx")).isEqualTo("'\tx");
        assertThat(Csv.cell("\rx")).isEqualTo("\"'\rx\"");
        assertThat(Csv.cell("web, mail")).isEqualTo("\"web, mail\"");
        assertThat(Csv.cell("customers/acme:web")).isEqualTo("customers/acme:web");
        assertThat(Csv.cell("")).isEmpty();
        // a leading quote is doubled, so "'=x" and "=x" stay two different cells
        assertThat(Csv.cell("'=x")).isEqualTo("''=x");
        assertThat(Csv.cell("=x")).isEqualTo("'=x");
        assertThat(Csv.cell("'quoted'")).isEqualTo("''quoted'");
    }

    @Test
    void unitsArePowersOf1000Or1024() {
        assertThat(Units.SI.bytes(1_500_000_000L)).isEqualTo("1.50 GB");
        assertThat(Units.IEC.bytes(1_500_000_000L)).isEqualTo("1.40 GiB");
        assertThat(Units.SI.bytes(999)).isEqualTo("999 B");
        assertThat(Units.SI.bitsPerSecond(12_340_000)).isEqualTo("12.34 Mbit/s");
        assertThat(Units.IEC.bitsPerSecond(1024 * 1024)).isEqualTo("1.00 Mibit/s");
        assertThat(Units.parse("IEC")).isEqualTo(Units.IEC);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Units.parse("metric"))
                .hasMessageContaining("use si (1000) or iec (1024)");
    }
}
