package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.ledger.ClockJump;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.pf.sim.SimClock;

/** Clock jumps the ledger counted: a counter per direction, and a log line a minute at most. */
class LedgerClockJumpsTest {

    private static final Instant WALL = Instant.parse("2031-06-01T12:00:00Z");

    private static LedgerStats stats(long forward, long backward) {
        Optional<ClockJump> last = forward + backward == 0 ? Optional.empty()
                : Optional.of(new ClockJump("fw1", backward == 0, Duration.ofDays(1700), WALL,
                        Instant.parse("2026-12-03T16:00:00Z")));
        return new LedgerStats(0, 1440, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), forward, backward, last);
    }

    @Test
    void bothDirectionsAreAlwaysExported() {
        List<Collector.MetricFamilySamples> families = new LedgerCollector(() -> stats(2, 1)).collect();
        Collector.MetricFamilySamples jumps = families.stream()
                .filter(f -> f.name.equals("pfmeter_ledger_clock_jumps")).findFirst().orElseThrow();
        assertThat(jumps.type).isEqualTo(Collector.Type.COUNTER);
        assertThat(jumps.samples).extracting(s -> s.name + s.labelValues + " " + s.value)
                .containsExactly("pfmeter_ledger_clock_jumps_total[forward] 2.0",
                        "pfmeter_ledger_clock_jumps_total[backward] 1.0");
        Collector.MetricFamilySamples none = new LedgerCollector(() -> stats(0, 0)).collect().stream()
                .filter(f -> f.name.equals("pfmeter_ledger_clock_jumps")).findFirst().orElseThrow();
        assertThat(none.samples).extracting(s -> s.value).containsExactly(0.0, 0.0);
    }

    @Test
    void aJumpIsLoggedOnceAndAFlappingClockAtMostOnceAMinute() {
        SimClock elapsed = SimClock.manual(Instant.EPOCH);
        List<String> lines = new ArrayList<>();
        ClockJumpLog log = new ClockJumpLog(elapsed, lines::add);
        log.after(stats(0, 0));
        assertThat(lines).isEmpty();
        log.after(stats(1, 0));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("fw1", "jumped forward", WALL.toString(), "pfmeter_ledger_clock_jumps_total")
                .doesNotContain("more clock jumps");
        log.after(stats(1, 0));                       // nothing new
        elapsed.advance(Duration.ofSeconds(10));
        log.after(stats(1, 1));                       // within the minute: counted, not written
        elapsed.advance(Duration.ofSeconds(20));
        log.after(stats(2, 1));
        assertThat(lines).hasSize(1);
        elapsed.advance(Duration.ofSeconds(30));      // a minute after the first line
        log.after(stats(3, 1));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("(and 2 more clock jumps since the last such line)");
    }
}
