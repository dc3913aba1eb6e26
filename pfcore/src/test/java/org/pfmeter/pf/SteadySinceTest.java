package org.pfmeter.pf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SteadySinceTest {

    @Test
    void theSecondOfJitterIsHeldAtTheFirstReading() {
        SteadySince s = new SteadySince();
        assertThat(s.next(1_764_000_000L)).isEqualTo(1_764_000_000L);
        assertThat(s.next(1_764_000_001L)).isEqualTo(1_764_000_000L);
        assertThat(s.next(1_764_000_000L)).isEqualTo(1_764_000_000L);
        assertThat(s.next(1_763_999_999L)).as("within a second of the first reading").isEqualTo(1_764_000_000L);
    }

    @Test
    void aReadingFurtherAwayIsANewStartAndIsThenHeld() {
        SteadySince s = new SteadySince();
        s.next(1_764_000_000L);
        assertThat(s.next(1_764_000_002L)).as("pf enabled again two seconds later").isEqualTo(1_764_000_002L);
        assertThat(s.next(1_764_000_003L)).isEqualTo(1_764_000_002L);
        assertThat(s.next(1_764_000_001L)).isEqualTo(1_764_000_002L);
        assertThat(s.next(1_764_086_400L)).isEqualTo(1_764_086_400L);
    }

    @Test
    void noDriftAlongAChainOfOneSecondSteps() {
        // X, X+1, X+2: the third is two seconds from what is held, so it is a new start, not a creep
        SteadySince s = new SteadySince();
        s.next(100);
        s.next(101);
        assertThat(s.next(102)).isEqualTo(102);
    }
}
