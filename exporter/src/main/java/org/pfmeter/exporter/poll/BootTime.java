package org.pfmeter.exporter.poll;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Optional;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * When the pf host booted, if the device can tell. {@code pf_status.since} is the kernel's uptime
 * when pf was enabled, not a wall-clock time; with the boot time it becomes one
 * ({@code pf_start_time_seconds}, the "Enabled for" of {@code show info}).
 *
 * <p>On OpenBSD the boot time is {@code kern.boottime} (sysctl); reading it is not implemented yet,
 * so a real device reports no boot time and those values are left out rather than guessed.
 */
@FunctionalInterface
public interface BootTime {

    BootTime UNKNOWN = Optional::empty;

    Optional<Instant> get();

    static BootTime fixed(Instant bootedAt) {
        return () -> Optional.of(bootedAt);
    }

    /**
     * The simulated kernel's boot time, when the simulator offers it as {@code Instant bootTime()}.
     * Looked up reflectively so that this module builds against a simulator without that accessor
     * (it then reports none); replace with a direct call once the simulator has it.
     */
    static BootTime of(SimulatedPf pf) {
        try {
            Method m = SimulatedPf.class.getMethod("bootTime");
            if (m.getReturnType() != Instant.class) {
                return UNKNOWN;
            }
            return () -> {
                try {
                    return Optional.of((Instant) m.invoke(pf));
                } catch (ReflectiveOperationException e) {
                    return Optional.empty();
                }
            };
        } catch (NoSuchMethodException e) {
            return UNKNOWN;
        }
    }
}
