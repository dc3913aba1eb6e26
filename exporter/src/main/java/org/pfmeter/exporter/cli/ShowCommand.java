package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.poll.PfSession;
import org.pfmeter.exporter.show.PfctlText;
import org.pfmeter.exporter.show.PfctlText.Section;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pfmeter show WHAT}: one poll, printed as {@code pfctl -s WHAT} would. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Reads pf once and prints it like pfctl -s. Exits 1 when a shown subsystem could not be read.")
final class ShowCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "info", paramLabel = "WHAT",
            description = "info, labels, interfaces, queues, tables, limits, timeouts, table-addresses (the tables named "
                    + "by --table-addresses or tables.address-counters), pfsync (as netstat -s -p pfsync) or all (default info).")
    String what;

    @Option(names = "-v", description = "Verbose info: hostid, checksum, source tracking, fragments, limit counters, syncookies.")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", description = "Read pf.* and simulate.* keys from this pfmeter.conf.")
    Path config;

    @Mixin
    PfSourceOptions source = new PfSourceOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Section> sections;
        if (what.equalsIgnoreCase("all")) {
            sections = List.of(Section.values());
        } else {
            try {
                sections = List.of(Section.valueOf(what.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                err.println("pfmeter show: unknown section '" + what + "'; choose info, labels, interfaces, queues, tables, limits, "
                        + "timeouts, table-addresses, pfsync or all");
                return ExitCodes.USAGE;
            }
        }
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        source.addTo(overrides);
        Config cfg;
        try {
            cfg = ConfigLoader.loadForReading(Optional.ofNullable(config), overrides);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        PfSnapshot snapshot;
        Optional<java.time.Instant> boot;
        try (PfSession session = PfSession.open(cfg.source(), Clock.systemUTC(), PfSession.SimTime.STEPPED)) {
            snapshot = session.poll();
            boot = session.bootTime().get();
        } catch (NoPfException e) {
            err.println("pfmeter: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (AbiRelease.UnsupportedReleaseException e) {
            err.println("pfmeter: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        PfctlText text = new PfctlText(snapshot, verbose, boot, ZoneId.systemDefault());
        boolean failed = false;
        for (Section s : sections) {
            if (sections.size() > 1) {
                out.println(s.name() + ":");
            }
            if (s == Section.TABLE_ADDRESSES && cfg.source().addressTables().isEmpty()) {
                out.println("no table named: give --table-addresses NAME,ANCHOR/PATH:NAME or set tables.address-counters");
            } else {
                out.print(text.render(s));
            }
            if (sections.size() > 1) {
                out.println();
            }
            failed |= snapshot.result(subsystem(s)).error().isPresent();
        }
        out.flush();
        if (failed) {
            err.println("pfmeter: some of pf could not be read: " + snapshot.errors().keySet().stream()
                    .map(Subsystem::label).toList());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    static Subsystem subsystem(Section s) {
        return switch (s) {
            case INFO -> Subsystem.STATUS;
            case LABELS -> Subsystem.RULES;
            case INTERFACES -> Subsystem.INTERFACES;
            case QUEUES -> Subsystem.QUEUES;
            case TABLES -> Subsystem.TABLES;
            case LIMITS -> Subsystem.LIMITS;
            case TIMEOUTS -> Subsystem.TIMEOUTS;
            case TABLE_ADDRESSES -> Subsystem.TABLE_ADDRESSES;
            case PFSYNC -> Subsystem.PFSYNC;
        };
    }
}
