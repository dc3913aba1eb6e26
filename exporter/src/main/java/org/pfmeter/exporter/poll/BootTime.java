package org.pfmeter.exporter.poll;

import java.time.Instant;
import java.util.Optional;

/**
 * When the pf host booted, if the device can tell. {@code pf_status.since} is the kernel's uptime
 * when pf was enabled, not a wall-clock time; with the boot time it becomes one
 * ({@code pf_start_time_seconds}, the "Enabled for" of {@code show info}).
 *
 * <p>On OpenBSD the boot time is {@code kern.boottime} (sysctl); a device that cannot tell leaves
 * those values out rather than guessing.
 */
@FunctionalInterface
public interface BootTime {

    BootTime UNKNOWN = Optional::empty;

    Optional<Instant> get();

    static BootTime fixed(Instant bootedAt) {
        return () -> Optional.of(bootedAt);
    }

    /** What the device says: kern.boottime on OpenBSD, the simulated host's boot for the simulator. */
    static BootTime of(org.pfmeter.pf.abi.PfDevice device) {
        return device::bootTime;
    }
}
