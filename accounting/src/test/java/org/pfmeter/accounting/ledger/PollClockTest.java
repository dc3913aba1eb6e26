package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The booking rules of {@link PollClock}, without a database: tolerance and settle time at their edges. */
class PollClockTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant E0 = Instant.EPOCH;
    private final PollClock clock = new PollClock(Duration.ofSeconds(60), Duration.ofMinutes(10));

    /** The previous poll: stamped and booked at T0, queued at elapsed E0. */
    private PollClock.Decision next(Duration wallStep, Duration elapsedStep, Optional<Instant> offSince) {
        return after(Duration.ZERO, wallStep, elapsedStep, offSince);
    }

    /** The previous poll: booked at T0, stamped {@code off} from it, queued at elapsed E0. */
    private PollClock.Decision after(Duration off, Duration wallStep, Duration elapsedStep, Optional<Instant> offSince) {
        Instant previousWall = T0.plus(off);
        return clock.decide("fw1", Optional.of(T0), Optional.of(new PollClock.State(previousWall, E0, offSince)),
                previousWall.plus(wallStep), Optional.of(E0.plus(elapsedStep)));
    }

    @Test
    void aStampWithinTheToleranceOfTheElapsedTimeIsBookedAsItIs() {
        PollClock.Decision d = next(Duration.ofSeconds(120), Duration.ofSeconds(60), Optional.empty());
        assertThat(d.bookAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(d.jump()).isEmpty();
        assertThat(d.next().orElseThrow().offSince()).isEmpty();
    }

    @Test
    void oneMicrosecondPastTheToleranceIsAJumpBookedAtTheElapsedTime() {
        PollClock.Decision d = next(Duration.ofSeconds(120).plusNanos(1000), Duration.ofSeconds(60), Optional.empty());
        assertThat(d.bookAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(d.jump()).hasValueSatisfying(j -> {
            assertThat(j.forward()).isTrue();
            assertThat(j.size()).isEqualTo(Duration.ofSeconds(60).plusNanos(1000));
            assertThat(j.wall()).isEqualTo(T0.plusSeconds(120).plusNanos(1000));
            assertThat(j.bookedAt()).isEqualTo(T0.plusSeconds(60));
        });
        assertThat(d.next().orElseThrow().offSince()).contains(E0.plusSeconds(60));
    }

    @Test
    void theWallClockIsBelievedOnceItHasBeenOffForTheSettleTime() {
        // the previous poll was stamped an hour ahead of its booked time, off since 9 minutes before it
        Instant offSince = E0.minus(Duration.ofMinutes(9));
        PollClock.Decision before = after(Duration.ofHours(1), Duration.ofSeconds(59), Duration.ofSeconds(59), Optional.of(offSince));
        assertThat(before.bookAt()).isEqualTo(T0.plusSeconds(59));
        assertThat(before.jump()).as("the step between these two polls is the elapsed time's").isEmpty();
        PollClock.Decision at = after(Duration.ofHours(1), Duration.ofSeconds(60), Duration.ofSeconds(60), Optional.of(offSince));
        assertThat(at.bookAt()).isEqualTo(T0.plus(Duration.ofHours(1)).plusSeconds(60));
        assertThat(at.jump()).isEmpty();
    }

    @Test
    void aPollIsAlwaysBookedAfterTheLastOne() {
        // settled on a wall clock 30 minutes behind the booked time
        PollClock.Decision back = after(Duration.ofMinutes(-30), Duration.ZERO, Duration.ZERO, Optional.of(E0.minus(Duration.ofHours(1))));
        assertThat(back.bookAt()).isEqualTo(T0.plusNanos(1000));
        assertThat(back.jump()).isEmpty();
        PollClock.Decision noReference = clock.decide("fw1", Optional.of(T0), Optional.empty(), T0.minusSeconds(5), Optional.empty());
        assertThat(noReference.bookAt()).isEqualTo(T0.plusNanos(1000));
        assertThat(noReference.jump()).hasValueSatisfying(j -> {
            assertThat(j.forward()).isFalse();
            assertThat(j.size()).isEqualTo(Duration.ofSeconds(5));
        });
        PollClock.Decision first = clock.decide("fw1", Optional.empty(), Optional.empty(), T0, Optional.of(E0));
        assertThat(first.bookAt()).isEqualTo(T0);
        assertThat(first.jump()).isEmpty();
    }
}
