package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;

class FaultScheduleTest {

    @Test
    void parsesFaultsAtOffsetsWithOptionalDurations() {
        FaultSchedule s = FaultSchedule.parse("ruleset-reload@30m, eacces@2h+5m,STATE_RAMP@1d2h3m4s+90s");
        assertThat(s.entries()).containsExactly(
                new FaultSchedule.Entry(Fault.RULESET_RELOAD, Duration.ofMinutes(30), Optional.empty()),
                new FaultSchedule.Entry(Fault.EACCES, Duration.ofHours(2), Optional.of(Duration.ofMinutes(5))),
                new FaultSchedule.Entry(Fault.STATE_RAMP, Duration.parse("P1DT2H3M4S"), Optional.of(Duration.ofSeconds(90))));
        assertThat(s).hasToString("ruleset-reload@30m,eacces@2h+5m,state-ramp@1d2h3m4s+1m30s");
        assertThat(FaultSchedule.parse(s.toString())).isEqualTo(s);
        assertThat(FaultSchedule.parse(" ").entries()).isEmpty();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> FaultSchedule.parse("reload@30m")).hasMessageContaining("unknown simulator fault 'reload'")
                .hasMessageContaining("ruleset-reload");
        assertThatThrownBy(() -> FaultSchedule.parse("eacces")).hasMessageContaining("'eacces' is not FAULT@OFFSET[+DURATION]");
        assertThatThrownBy(() -> FaultSchedule.parse("eacces@5x")).hasMessageContaining("'eacces@5x'");
        assertThatThrownBy(() -> FaultSchedule.parse("eacces@m5")).hasMessageContaining("'m5' is not a duration");
        assertThatThrownBy(() -> FaultSchedule.parse("ruleset-reload@1h+5m"))
                .hasMessageContaining("ruleset-reload happens at an instant and takes no duration");
        assertThatThrownBy(() -> FaultSchedule.parse("eacces@1h+0s")).hasMessageContaining("duration must be positive");
    }

    @Test
    void aScheduledFaultHappensAtItsSecondHoweverRarelyTheSimulatorIsAsked() {
        SimulatedPf planned = Sims.small();
        planned.schedule(FaultSchedule.parse("ruleset-reload@30m"));
        planned.advance(Duration.ofHours(1));
        SimulatedPf injected = Sims.small();
        injected.advance(Duration.ofMinutes(30));
        injected.inject(Fault.RULESET_RELOAD);
        injected.advance(Duration.ofMinutes(30));
        PfSnapshot a = Sims.content(Sims.reader(planned).poll());
        PfSnapshot b = Sims.content(Sims.reader(injected).poll());
        assertThat(a).isEqualTo(b);
        assertThat(planned.groundTruth()).isEqualTo(injected.groundTruth());
    }

    /** Every subsystem read through /dev/pf when no table's addresses are asked for (that one is then not present). */
    static final Subsystem[] IOCTL_SUBSYSTEMS = java.util.EnumSet.complementOf(java.util.EnumSet.of(Subsystem.TABLE_ADDRESSES))
            .toArray(new Subsystem[0]);

    @Test
    void aLastingFaultEndsWhenItsDurationIsOver() {
        SimulatedPf sim = Sims.small();
        sim.schedule(FaultSchedule.parse("eacces@2h+5m"));
        var reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(reader.poll().complete()).isTrue();
        sim.advance(Duration.ofSeconds(1));
        assertThat(reader.poll().errors()).containsKeys(IOCTL_SUBSYSTEMS);
        sim.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(reader.poll().errors()).containsKeys(IOCTL_SUBSYSTEMS);
        sim.advance(Duration.ofSeconds(1));
        assertThat(reader.poll().complete()).isTrue();
    }
}
