package org.pfmeter.pf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** OpenBSD's status has every field; another platform's leaves out what its kernel lacks. */
class StatusTest {

    static Status openBsd(long since) {
        return new Status(true, since, 3, 0x01020304L, 1, 99, 10, 2, 3, 4, false, SyncookieMode.ADAPTIVE,
                new long[] {5, 6}, EnumCounters.zero(Reason.class), EnumCounters.zero(LimitCounter.class),
                EnumCounters.zero(TableOperation.class), EnumCounters.zero(TableOperation.class),
                EnumCounters.zero(TableOperation.class), new LogInterface("", TrafficCounters.ZERO),
                "00".repeat(16), 2500, 1250);
    }

    static Status wallClock(long since) {
        NamedCounters none = NamedCounters.empty();
        return new Status(true, since, 1, 0, 1, OptionalLong.empty(), 10, OptionalLong.empty(), 3, OptionalLong.empty(),
                false, Optional.empty(), new long[0], NamedCounters.of(List.of("map-failed"), new long[] {1}), none, none,
                none, none, new LogInterface("", TrafficCounters.ZERO), "00".repeat(16), OptionalLong.empty(),
                OptionalLong.empty(), SinceClock.WALL_CLOCK);
    }

    @Test
    void openBsdsStatusHasEveryFieldOnTheUptimeClock() {
        Status s = openBsd(120);
        assertThat(s.sinceClock()).isEqualTo(SinceClock.UPTIME);
        assertThat(s.stateid()).hasValue(99);
        assertThat(s.statesHalfopen()).hasValue(2);
        assertThat(s.fragments()).hasValue(4);
        assertThat(s.syncookiesMode()).hasValue(SyncookieMode.ADAPTIVE);
        assertThat(s.syncookiesInflightTotal()).hasValue(11);
        assertThat(s.syncookieHiwat()).hasValue(2500);
        assertThat(s.syncookieLowat()).hasValue(1250);
        assertThat(s.counters()).isInstanceOf(EnumCounters.class);
        assertThat(s.counters().size()).isEqualTo(17);
        assertThat(s).isEqualTo(openBsd(120)).isNotEqualTo(openBsd(121));
    }

    @Test
    void whatAKernelDoesNotReportIsEmptyNotZero() {
        Status s = wallClock(1_764_000_000L);
        assertThat(s.stateid()).isEmpty();
        assertThat(s.statesHalfopen()).isEmpty();
        assertThat(s.fragments()).isEmpty();
        assertThat(s.syncookiesMode()).isEmpty();
        assertThat(s.syncookiesInflightTotal()).isEmpty();
        assertThat(s.syncookieHiwat()).isEmpty();
        assertThat(s.fragmentOperations().isEmpty()).isTrue();
        assertThat(s.counters().find("map-failed")).hasValue(1);
        assertThat(s.counters().find("translate")).isEmpty();
    }

    @Test
    void theStartTimeFollowsTheClockOfSince() {
        Optional<Instant> boot = Optional.of(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(openBsd(120).startEpochSecond(boot)).hasValue(boot.get().getEpochSecond() + 120);
        assertThat(openBsd(120).startEpochSecond(Optional.empty())).isEmpty();
        assertThat(wallClock(1_764_000_000L).startEpochSecond(Optional.empty())).hasValue(1_764_000_000L);
        assertThat(wallClock(1_764_000_000L).startEpochSecond(boot)).as("already Unix time").hasValue(1_764_000_000L);
    }

    @Test
    void syncookiesInflightHasTwoEpochsOrNone() {
        assertThatThrownBy(() -> new Status(true, 0, 0, 0, 0, OptionalLong.empty(), 0, OptionalLong.empty(), 0,
                OptionalLong.empty(), false, Optional.empty(), new long[1], NamedCounters.empty(), NamedCounters.empty(),
                NamedCounters.empty(), NamedCounters.empty(), NamedCounters.empty(),
                new LogInterface("", TrafficCounters.ZERO), "", OptionalLong.empty(), OptionalLong.empty(), SinceClock.UPTIME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 epochs, got 1");
    }
}
