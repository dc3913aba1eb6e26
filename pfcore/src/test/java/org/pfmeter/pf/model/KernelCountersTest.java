package org.pfmeter.pf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** A counter table keeps its own kernel's names: OpenBSD's through the model enums, FreeBSD's as sent. */
class KernelCountersTest {

    @Test
    void anEnumTableListsTheEnumsNamesInKernelOrder() {
        long[] v = new long[17];
        v[0] = 5;
        v[16] = 7;
        KernelCounters reasons = EnumCounters.of(Reason.class, v);
        assertThat(reasons.size()).isEqualTo(17);
        assertThat(reasons.entries().get(0).name()).isSameAs(Reason.MATCH);
        assertThat(reasons.entries().get(16)).isEqualTo(new KernelCounters.Entry(Reason.NO_ROUTE, 7));
        assertThat(reasons.find("no-route")).hasValue(7);
        assertThat(reasons.find("map-failed")).isEmpty();
        assertThat(reasons.get(Reason.MATCH)).isEqualTo(5);
        assertThat(reasons.toArray()).isEqualTo(v);
    }

    @Test
    void aNamedTableHasExactlyTheKernelsCounters() {
        NamedCounters t = NamedCounters.of(List.of("synproxy", "map-failed", "max states per rule"), new long[] {1, 2, -1});
        assertThat(t.names()).containsExactly("synproxy", "map-failed", "max states per rule");
        assertThat(t.find("map-failed")).hasValue(2);
        assertThat(t.get(Reason.SYNPROXY)).as("found by the kernel's name").isEqualTo(1);
        assertThat(t.find("translate")).as("absent, not 0").isEmpty();
        assertThatThrownBy(() -> t.get(Reason.TRANSLATE)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no counter \"translate\"");
        assertThat(t.entries()).extracting(e -> e.name().labelValue())
                .containsExactly("synproxy", "map_failed", "max_states_per_rule");
        assertThat(Long.toUnsignedString(t.entries().get(2).value())).isEqualTo("18446744073709551615");
        assertThat(t).isEqualTo(NamedCounters.of(List.of("synproxy", "map-failed", "max states per rule"), new long[] {1, 2, -1}));
        assertThat(t).isNotEqualTo(NamedCounters.of(List.of("synproxy", "map-failed", "max states per rule"), new long[] {1, 2, 3}));
        assertThat(NamedCounters.empty().isEmpty()).isTrue();
    }

    @Test
    void aNamedTableRefusesRepeatedNamesAndMismatchedLengths() {
        assertThatThrownBy(() -> NamedCounters.of(List.of("short", "short"), new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"short\" appears twice");
        assertThatThrownBy(() -> NamedCounters.of(List.of("short"), new long[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 names for 2 values");
    }

    @Test
    void labelValuesOfNamedAndEnumTablesAgree() {
        // the same kernel name gives the same metric label whichever kind of table carries it
        NamedCounters named = NamedCounters.of(List.of("overload flush states"), new long[] {0});
        assertThat(named.entries().get(0).name().labelValue()).isEqualTo(LimitCounter.OVERLOAD_FLUSH.labelValue());
    }
}
