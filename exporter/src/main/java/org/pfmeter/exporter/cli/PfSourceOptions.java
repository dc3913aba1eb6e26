package org.pfmeter.exporter.cli;

import java.util.Map;
import org.pfmeter.exporter.config.ConfigKey;
import picocli.CommandLine.Option;

/** Where pf is read from; shared by show, run and record. Each option overrides a config key. */
final class PfSourceOptions {

    @Option(names = "--simulate", description = "Read the simulated pf instead of /dev/pf.")
    boolean simulate;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the simulated firewall and its traffic (default 1).")
    String seed;

    @Option(names = "--sim-release", paramLabel = "R", description = "Release the simulated kernel speaks: 7.8, 7.9, 8.0 (OpenBSD), freebsd-14.3, freebsd-15.0 (default 8.0).")
    String simRelease;

    @Option(names = "--sim-scale", paramLabel = "small|large", description = "Size of the simulated firewall (default small).")
    String simScale;

    @Option(names = "--sim-speed", paramLabel = "X", description = "Simulated seconds per real second (run; default 1).")
    String simSpeed;

    @Option(names = "--sim-fault", paramLabel = "FAULT[@OFFSET[+DURATION]],...",
            description = "Faults the simulated pf injects, e.g. eacces, ruleset-reload@30m, state-ramp@1h+20m.")
    String simFault;

    @Option(names = "--sim-elapsed", paramLabel = "DURATION", description = "Simulated time before show's poll (default 1h).")
    String simElapsed;

    @Option(names = "--sim-pfsync", paramLabel = "true|false",
            description = "pfsync configured on the simulated firewall (default true).")
    String simPfsync;

    @Option(names = "--table-addresses", paramLabel = "TABLE,...",
            description = "Read the per-address counters of these tables: NAME or ANCHOR/PATH:NAME (tables.address-counters).")
    String tableAddresses;

    @Option(names = "--abi", paramLabel = "R", description = "Force the pf release (7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0) instead of the host's.")
    String abi;

    @Option(names = "--pf-fd", paramLabel = "N", description = "Use an inherited, already open /dev/pf descriptor.")
    String pfFd;

    @Option(names = "--device", paramLabel = "PATH", description = "The pf device (default /dev/pf).")
    String device;

    @Option(names = "--replay", paramLabel = "TRACE", description = "Read a trace written by pfmeter record instead of pf.")
    String replay;

    void addTo(Map<ConfigKey, String> overrides) {
        if (simulate) {
            overrides.put(ConfigKey.SIMULATE, "true");
        }
        put(overrides, ConfigKey.SIMULATE_SEED, seed);
        put(overrides, ConfigKey.SIMULATE_RELEASE, simRelease);
        put(overrides, ConfigKey.SIMULATE_SCALE, simScale);
        put(overrides, ConfigKey.SIMULATE_SPEED, simSpeed);
        put(overrides, ConfigKey.SIMULATE_FAULTS, simFault);
        put(overrides, ConfigKey.SIMULATE_ELAPSED, simElapsed);
        put(overrides, ConfigKey.SIMULATE_PFSYNC, simPfsync);
        put(overrides, ConfigKey.TABLES_ADDRESS_COUNTERS, tableAddresses);
        put(overrides, ConfigKey.PF_ABI, abi);
        put(overrides, ConfigKey.PF_FD, pfFd);
        put(overrides, ConfigKey.PF_DEVICE, device);
        put(overrides, ConfigKey.PF_REPLAY, replay);
    }

    static void put(Map<ConfigKey, String> m, ConfigKey k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
