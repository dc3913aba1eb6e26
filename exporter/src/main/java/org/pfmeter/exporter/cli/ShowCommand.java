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
import org.pfmeter.pf.SourceNodeOptions;
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
            description = "info, labels, interfaces, queues, tables, limits, timeouts, sources, limiters, table-addresses (the tables "
                    + "named by --table-addresses or tables.address-counters), pfsync (as netstat -s -p pfsync), states or all "
                    + "(default info; states is not part of all).")
    String what;

    @Option(names = "-v", description = "Verbose info: hostid, checksum, source tracking, fragments, limit counters, syncookies; "
            + "limiters: the source addresses holding the most states.")
    boolean verbose;

    @Option(names = "--top", paramLabel = "N", description = "sources: how many source tracking nodes to print, most states first "
            + "(default source-nodes.top, 10); states: addresses in each top list (default states.top, 10).")
    Integer top;

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
        boolean states = what.equalsIgnoreCase("states");
        if (states) {
            sections = List.of();
            if (top != null && (top < 0 || top > 1_000)) {
                err.println("pfmeter show: --top " + top + " is out of range; give 0 to 1000");
                return ExitCodes.USAGE;
            }
        } else if (what.equalsIgnoreCase("all")) {
            sections = List.of(Section.values());
        } else {
            try {
                sections = List.of(Section.valueOf(what.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                err.println("pfmeter show: unknown section '" + what + "'; choose info, labels, interfaces, queues, tables, limits, "
                        + "timeouts, sources, limiters, table-addresses, pfsync, states or all");
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
        if (top != null && (top < 0 || top > 10_000)) {
            err.println("pfmeter show: --top must be within 0..10000, not " + top);
            return ExitCodes.USAGE;
        }
        SourceNodeOptions nodes = top == null ? cfg.sourceNodes() : new SourceNodeOptions(cfg.sourceNodes().bound(), top);
        PfSnapshot snapshot;
        Optional<java.time.Instant> boot;
        try (PfSession session = PfSession.open(cfg.source(), Clock.systemUTC(), PfSession.SimTime.STEPPED, nodes)) {
            snapshot = session.poll();
            boot = session.bootTime().get();
            if (states) {
                return showStates(session, snapshot, cfg, out, err);
            }
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
            for (Subsystem sub : PfctlText.subsystems(s)) {
                failed |= snapshot.result(sub).error().isPresent();
            }
        }
        out.flush();
        if (failed) {
            err.println("pfmeter: some of pf could not be read: " + snapshot.errors().keySet().stream()
                    .map(Subsystem::label).toList());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** The state table read once, with the rules of the poll just made naming its rule numbers. */
    private int showStates(PfSession session, PfSnapshot snapshot, Config cfg, PrintWriter out, PrintWriter err) {
        int statesTop = top == null ? cfg.states().top() : top;
        if (session.stateReader().isEmpty()) {
            err.println("pfmeter show states: pfmeter does not read the state table of " + session.release().describe() + " yet");
            return ExitCodes.FAILED;
        }
        org.pfmeter.pf.states.StateBreakdownReader reader = session.stateReader().get();
        org.pfmeter.pf.states.StateBreakdownReader.Outcome o = reader.read(snapshot.rules().value().orElse(null),
                Long.MAX_VALUE, statesTop);
        if (o instanceof org.pfmeter.pf.states.StateBreakdownReader.Read r) {
            out.print(org.pfmeter.exporter.show.StatesText.render(r.breakdown(), statesTop));
            out.flush();
            if (snapshot.rules().error().isPresent()) {
                err.println("pfmeter: the rules could not be read, so no state is attributed to a label: "
                        + org.pfmeter.exporter.show.Vis.vis(snapshot.rules().error().get().message()));
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
        if (o instanceof org.pfmeter.pf.states.StateBreakdownReader.Failed f) {
            err.println("pfmeter: " + org.pfmeter.exporter.show.Vis.vis(f.error().message()));
        } else {
            err.println("pfmeter: the state table was not read");
        }
        return ExitCodes.FAILED;
    }
}
