package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pfmeter.pf.abi.AbiRelease;

/**
 * Where pf is read from: the simulated pf, a recorded trace, an inherited descriptor or the device.
 * Exactly one is used, in that order of precedence; a real device is never replaced by fake data.
 *
 * @param abi           forces the ABI release instead of choosing it from the kernel's release
 * @param addressTables the tables whose per-address counters every poll reads ({@code tables.address-counters})
 */
public record PfSourceConfig(
        Optional<SimulationConfig> simulation,
        Optional<Path> replay,
        OptionalInt fd,
        String device,
        Optional<AbiRelease> abi,
        List<org.pfmeter.pf.model.TableKey> addressTables) {

    public PfSourceConfig {
        addressTables = List.copyOf(addressTables);
    }

    /** Reading no table's addresses. */
    public PfSourceConfig(Optional<SimulationConfig> simulation, Optional<Path> replay, OptionalInt fd, String device,
            Optional<AbiRelease> abi) {
        this(simulation, replay, fd, device, abi, List.of());
    }
}
