package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.pfmeter.pf.abi.AbiRelease;

/**
 * Where pf is read from: the simulated pf, a recorded trace, an inherited descriptor or the device.
 * Exactly one is used, in that order of precedence; a real device is never replaced by fake data.
 *
 * @param abi forces the ABI release instead of choosing it from the kernel's release
 */
public record PfSourceConfig(
        Optional<SimulationConfig> simulation,
        Optional<Path> replay,
        OptionalInt fd,
        String device,
        Optional<AbiRelease> abi) {
}
