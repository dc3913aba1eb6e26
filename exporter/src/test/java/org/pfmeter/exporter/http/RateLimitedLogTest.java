package org.pfmeter.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.sim.SimClock;

class RateLimitedLogTest {

    @Test
    void oneLineAMinuteSayingHowManyWereLeftOut() {
        SimClock clock = SimClock.manual(Instant.parse("2026-12-03T12:00:00Z"));
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(clock, Duration.ofMinutes(1), (line, cause) -> lines.add(line));
        for (int i = 0; i < 1000; i++) {
            log.log("bad query " + i);
            clock.advance(Duration.ofMillis(10)); // 10 s in all
        }
        assertThat(lines).containsExactly("bad query 0");
        assertThat(log.suppressed()).isEqualTo(999);
        clock.advance(Duration.ofMinutes(1));
        log.log("bad query again");
        assertThat(lines).containsExactly("bad query 0", "bad query again (and 999 more like it since the last such line)");
        assertThat(log.suppressed()).isZero();
    }
}
