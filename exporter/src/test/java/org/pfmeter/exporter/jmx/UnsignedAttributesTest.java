package org.pfmeter.exporter.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.Reason;

/** pf's 64-bit counters reach JConsole unsigned, also above 2^63. */
class UnsignedAttributesTest {

    @Test
    void countersAboveTwoToTheSixtyThreeStayPositive() {
        assertThat(Maps.unsigned(-1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(Maps.unsigned(Long.MIN_VALUE)).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(Maps.unsigned(42)).isEqualTo(BigInteger.valueOf(42));
        long[] v = new long[Reason.values().length];
        v[Reason.MEMORY.ordinal()] = -2L;
        assertThat(Maps.byKernelName(EnumCounters.of(Reason.class, v)))
                .containsEntry("memory", new BigInteger("18446744073709551614"))
                .containsEntry("match", BigInteger.ZERO)
                .hasSize(17);
    }
}
