package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pfmeter show states}: the breakdown of one read, in pfctl -si's layout. */
class ShowStatesTest {

    @Test
    void printsTheBreakdownWithTheTopLists() {
        CliTest.Result r = CliTest.run("show", "states", "--top", "2", "--simulate", "--sim-fault", "state-ramp@50m");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("State Table                        Total\n  current entries                  10000\n"
                + "  unattributed                         0\n");
        assertThat(r.out()).contains("States by label", "States by interface", "States by protocol", "TCP states",
                "States by age", "Top sources by states", "Top destinations by bytes", "  all                              10000\n");
        // the attack's sources lead, two of them as asked
        String tops = r.out().substring(r.out().indexOf("Top sources by states"));
        assertThat(tops.lines().skip(1).limit(2)).allMatch(l -> l.startsWith("  203.0.113."));
        assertThat(tops.lines().skip(3).findFirst().orElseThrow()).startsWith("Top sources by bytes");
    }

    @Test
    void aBadTopIsAUsageError() {
        CliTest.Result r = CliTest.run("show", "states", "--top", "-1", "--simulate");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--top -1 is out of range");
    }
}
