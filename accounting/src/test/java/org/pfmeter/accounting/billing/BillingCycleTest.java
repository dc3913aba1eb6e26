package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BillingCycleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aBillingMonthRunsFromTheBillingDayToTheSameDayOfTheNextMonthInItsZone() {
        BillingPeriod p = new BillingCycle(15, BERLIN).period("2026-10");
        assertThat(p.startLocal().toOffsetDateTime()).hasToString("2026-10-15T00:00+02:00");
        assertThat(p.endLocal().toOffsetDateTime()).hasToString("2026-11-15T00:00+01:00");
        // the DST change on 25 October makes this month an hour longer
        assertThat(p.length()).isEqualTo(Duration.ofDays(31).plusHours(1));
        assertThat(p.contains(Instant.parse("2026-10-14T22:00:00Z"))).isTrue();
        assertThat(p.contains(Instant.parse("2026-10-14T21:59:59Z"))).isFalse();
    }

    @Test
    void theDefaultCycleIsTheCalendarMonthInUtc() {
        BillingPeriod p = BillingCycle.calendarMonthsUtc().period("2026-02");
        assertThat(p.start()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(p.end()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    void thePeriodContainingAnInstantIsNamedAfterTheMonthItStartsIn() {
        BillingCycle c = new BillingCycle(15, BERLIN);
        assertThat(c.periodContaining(Instant.parse("2026-11-10T12:00:00Z")).name()).isEqualTo("2026-10");
        assertThat(c.periodContaining(Instant.parse("2026-11-14T23:00:00Z")).name()).isEqualTo("2026-11");
        assertThat(c.periodContaining(Instant.parse("2026-01-03T00:00:00Z")).name()).isEqualTo("2025-12");
    }

    @Test
    void aBillingDayOf31IsRefusedNamingTheAllowedDays() {
        assertThatThrownBy(() -> new BillingCycle(31, BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("billing.day: 31 is not allowed")
                .hasMessageContaining("day 1 to 28");
        assertThatThrownBy(() -> BillingCycle.of("0", "UTC")).hasMessageContaining("1 to 28");
        assertThatThrownBy(() -> BillingCycle.of("fifteen", "UTC")).hasMessageContaining("'fifteen' is not a number");
        assertThatThrownBy(() -> BillingCycle.of("15", "Mars/Olympus")).hasMessageContaining("billing.zone: 'Mars/Olympus'");
    }

    @Test
    void anUnknownMonthFormatIsRefusedNamingTheExpectedOne() {
        BillingCycle c = BillingCycle.calendarMonthsUtc();
        for (String bad : new String[] {"10/2026", "2026-10-01", "Oct 2026", "2026-1", "", "  "}) {
            assertThatThrownBy(() -> c.period(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not in the form YYYY-MM (for example 2026-10)");
        }
        assertThatThrownBy(() -> c.period("2026-13")).hasMessageContaining("the month must be 01 to 12");
        assertThat(c.period(" 2026-10 ").name()).isEqualTo("2026-10");
    }
}
