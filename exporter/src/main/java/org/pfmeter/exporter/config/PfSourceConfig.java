package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pfmeter.pf.abi.PfRelease;

/**
 * Where pf is read from: the simulated pf, a recorded trace, an inherited descriptor or the device.
 * Exactly one is used, in that order of precedence; a real device is never replaced by fake data.
 *
 * @param abi           forces the release (OpenBSD's ABI or FreeBSD's) instead of choosing it from the host
 * @param addressTables the tables whose per-address counters every poll reads ({@code tables.address-counters})
 * @param limiterTop    address entries kept per source limiter with their addresses ({@code limiters.top})
 */
public record PfSourceConfig(
        Optional<SimulationConfig> simulation,
        Optional<Path> replay,
        OptionalInt fd,
        String device,
        Optional<PfRelease> abi,
        List<org.pfmeter.pf.model.TableKey> addressTables,
        int limiterTop) {

    public PfSourceConfig {
        addressTables = List.copyOf(addressTables);
        if (limiterTop < 0) {
            throw new IllegalArgumentException("limiters.top must be 0 or more, not " + limiterTop);
        }
    }

    /** Keeping pf's default number of source-limiter entries. */
    public PfSourceConfig(Optional<SimulationConfig> simulation, Optional<Path> replay, OptionalInt fd, String device,
            Optional<PfRelease> abi, List<org.pfmeter.pf.model.TableKey> addressTables) {
        this(simulation, replay, fd, device, abi, addressTables, org.pfmeter.pf.PfReader.DEFAULT_SOURCE_TOP);
    }

    /** Reading no table's addresses. */
    public PfSourceConfig(Optional<SimulationConfig> simulation, Optional<Path> replay, OptionalInt fd, String device,
            Optional<PfRelease> abi) {
        this(simulation, replay, fd, device, abi, List.of());
    }
}
