package org.pfmeter.exporter.show;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.KernelCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.SourceNode;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;

/**
 * One snapshot printed in the layouts of {@code pfctl -s}: the presentation half of pfctl's
 * {@code print_status}, {@code print_iface}, {@code print_tstats}, {@code print_qstats} and the
 * {@code -s memory}, {@code -s timeouts} and {@code -s labels} loops. Counters print unsigned.
 * A section whose subsystem failed prints its error instead.
 */
public final class PfctlText {

    /** What {@code show} can print, in {@code show all}'s order. */
    public enum Section {
        INFO, LABELS, INTERFACES, QUEUES, TABLES, LIMITS, TIMEOUTS, SOURCES,
        /** State and source limiters (7.9 and later): two subsystems, see {@link #subsystems}. */
        LIMITERS, TABLE_ADDRESSES, PFSYNC;

        /** As {@code show} takes it: "info", "table-addresses". */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The subsystems a section prints. */
    public static List<org.pfmeter.pf.model.Subsystem> subsystems(Section section) {
        return switch (section) {
            case INFO -> List.of(org.pfmeter.pf.model.Subsystem.STATUS);
            case LABELS -> List.of(org.pfmeter.pf.model.Subsystem.RULES);
            case INTERFACES -> List.of(org.pfmeter.pf.model.Subsystem.INTERFACES);
            case QUEUES -> List.of(org.pfmeter.pf.model.Subsystem.QUEUES);
            case TABLES -> List.of(org.pfmeter.pf.model.Subsystem.TABLES);
            case LIMITS -> List.of(org.pfmeter.pf.model.Subsystem.LIMITS);
            case TIMEOUTS -> List.of(org.pfmeter.pf.model.Subsystem.TIMEOUTS);
            case SOURCES -> List.of(org.pfmeter.pf.model.Subsystem.SOURCE_NODES);
            case LIMITERS -> List.of(org.pfmeter.pf.model.Subsystem.STATE_LIMITERS, org.pfmeter.pf.model.Subsystem.SOURCE_LIMITERS);
            case TABLE_ADDRESSES -> List.of(org.pfmeter.pf.model.Subsystem.TABLE_ADDRESSES);
            case PFSYNC -> List.of(org.pfmeter.pf.model.Subsystem.PFSYNC);
        };
    }

    /** pfctl's -s timeouts order (tcp.tsdiff after tcp.closed, unlike the kernel's enum). */
    private static final List<PfTimeout> TIMEOUT_ORDER = List.of(
            PfTimeout.TCP_FIRST_PACKET, PfTimeout.TCP_OPENING, PfTimeout.TCP_ESTABLISHED, PfTimeout.TCP_CLOSING,
            PfTimeout.TCP_FIN_WAIT, PfTimeout.TCP_CLOSED, PfTimeout.TS_DIFF, PfTimeout.UDP_FIRST_PACKET,
            PfTimeout.UDP_SINGLE, PfTimeout.UDP_MULTIPLE, PfTimeout.ICMP_FIRST_PACKET, PfTimeout.ICMP_ERROR_REPLY,
            PfTimeout.OTHER_FIRST_PACKET, PfTimeout.OTHER_SINGLE, PfTimeout.OTHER_MULTIPLE, PfTimeout.FRAG,
            PfTimeout.INTERVAL, PfTimeout.ADAPTIVE_START, PfTimeout.ADAPTIVE_END, PfTimeout.SRC_NODE);

    private static final String[] DEBUG_LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final PfSnapshot s;
    private final boolean verbose;
    private final Optional<Instant> bootTime;
    private final DateTimeFormatter ctime;

    /**
     * @param bootTime when the host booted, if known: pf's run time (and so the rates) needs it, as
     *                 pfctl needs CLOCK_BOOTTIME
     * @param zone     for "Cleared" times, as ctime(3) uses the local zone
     */
    public PfctlText(PfSnapshot snapshot, boolean verbose, Optional<Instant> bootTime, ZoneId zone) {
        this.s = snapshot;
        this.verbose = verbose;
        this.bootTime = bootTime;
        this.ctime = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(zone);
    }

    public String render(Section section) {
        StringBuilder b = new StringBuilder();
        switch (section) {
            case INFO -> section(b, s.status(), st -> info(b, st));
            case LABELS -> section(b, s.rules(), r -> r.labels().forEach(l -> label(b, l)));
            case INTERFACES -> section(b, s.interfaces(), list -> list.forEach(i -> iface(b, i)));
            case QUEUES -> section(b, s.queues(), list -> list.forEach(q -> queue(b, q)));
            case TABLES -> section(b, s.tables(), list -> list.forEach(t -> table(b, t)));
            case LIMITS -> section(b, s.limits(), l -> {
                for (KernelCounters.Entry p : l.values().entries()) {
                    b.append(String.format("%-13s ", p.name().kernelName()));
                    b.append(p.value() == PfLimit.UNLIMITED ? "unlimited\n"
                            : String.format("hard limit %8s%n", Long.toUnsignedString(p.value())));
                }
            });
            case TIMEOUTS -> section(b, s.timeouts(), t -> timeouts(b, t));
            case SOURCES -> section(b, s.sourceNodes(), n -> sources(b, n));
            case LIMITERS -> {
                section(b, s.stateLimiters(), list -> list.forEach(l -> LimiterText.state(b, l)));
                section(b, s.sourceLimiters(), list -> list.forEach(l -> LimiterText.source(b, l, verbose)));
            }
            case TABLE_ADDRESSES -> section(b, s.tableAddresses(), list -> list.forEach(t -> tableAddresses(b, t)));
            case PFSYNC -> section(b, s.pfsync(), p -> pfsync(b, p));
        }
        return b.toString();
    }

    /**
     * pfctl -s Sources' print_src_node() for the top nodes (pfmeter keeps only those), then what
     * pfctl does not print: the count and the breakdown per rule and kind.
     */
    private void sources(StringBuilder b, SourceNodes n) {
        if (n.skipped()) {
            b.append(n.nodes()).append(" source tracking nodes, more than source-nodes.max (").append(n.bound())
                    .append("): only their count was read\n");
            return;
        }
        for (SourceNode sn : n.top()) {
            b.append(sn.address());
            if (!sn.translated().isEmpty()) {
                b.append(' ').append(sn.kind().pfctlWord()).append(' ').append(sn.translated());
            }
            b.append(String.format(" ( states %d, connections %d, rate %d.%d/%ds )%n", sn.states(), sn.connections(),
                    sn.rateCount() / 1000, sn.rateCount() % 1000 / 100, sn.rateSeconds()));
            if (verbose) {
                b.append(String.format("   age %s", hms(sn.ageSeconds())));
                if (sn.states() == 0) {
                    b.append(", expires in ").append(hms(sn.expiresSeconds()));
                }
                b.append(", ").append(Long.toUnsignedString(sn.packets())).append(" pkts, ")
                        .append(Long.toUnsignedString(sn.bytes())).append(" bytes, rule ").append(sn.ruleNr()).append('\n');
            }
        }
        b.append(String.format("%d source tracking nodes, %d states, %d connections%s%n", n.nodes(), n.states(),
                n.connections(), n.top().size() < n.nodes() ? "; the " + n.top().size() + " holding the most states above" : ""));
        if (n.unattributed() > 0) {
            b.append(n.unattributed()).append(" of them matched no single rule of this poll (counted under \"\")\n");
        }
        if (!n.groups().isEmpty()) {
            b.append(String.format("%-40s %-5s %8s %8s %8s%n", "anchor:label", "kind", "nodes", "states", "conns"));
            for (SourceNodeGroup g : n.groups()) {
                b.append(String.format("%-40s %-5s %8d %8d %8d%n", Vis.vis(g.anchor() + ":" + g.label()), g.kind().kernelName(), g.nodes(),
                        g.states(), g.connections()));
            }
        }
    }

    private static String hms(long seconds) {
        return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    private static <T> void section(StringBuilder b, SubsystemResult<T> r, java.util.function.Consumer<T> print) {
        if (r instanceof SubsystemResult.Ok<T> ok) {
            print.accept(ok.get());
        } else if (r instanceof SubsystemResult.NotPresent<T> np) {
            b.append("not present: ").append(Vis.vis(np.why())).append('\n');
        } else {
            PfError e = r.error().orElseThrow();
            b.append("error: ").append(Vis.vis(e.message())).append('\n');
        }
    }

    /** pf's run time in seconds: the kernel's uptime now minus {@code since}; 0 when unknown. */
    private long runtime(Status st) {
        if (st.sinceClock() == SinceClock.WALL_CLOCK) {
            return Math.max(0, s.takenAt().getEpochSecond() - st.since());
        }
        if (bootTime.isEmpty()) {
            return 0;
        }
        long uptime = s.takenAt().getEpochSecond() - bootTime.get().getEpochSecond();
        return Math.max(0, uptime - st.since());
    }

    private void info(StringBuilder b, Status st) {
        long runtime = runtime(st);
        String running = st.running() ? "Enabled" : "Disabled";
        String statline;
        if (runtime > 0) {
            long sec = runtime % 60;
            long min = runtime / 60 % 60;
            long hrs = runtime / 3600 % 24;
            long days = runtime / 86400;
            statline = String.format("Status: %s for %d days %02d:%02d:%02d", running, days, hrs, min, sec);
        } else {
            statline = "Status: " + running;
        }
        String debug = "Debug: " + (st.debug() >= 0 && st.debug() < DEBUG_LEVELS.length ? DEBUG_LEVELS[st.debug()] : st.debug());
        b.append(String.format("%-44s%15s%n%n", statline, debug));
        if (verbose) {
            b.append(String.format("Hostid:   0x%08x%n", Integer.reverseBytes((int) st.hostid())));
            b.append("Checksum: 0x").append(st.checksum()).append("\n\n");
        }
        LogInterface li = st.logInterface();
        if (!li.isUnset()) {
            b.append(String.format("Interface Stats for %-16s %5s %16s%n", Vis.vis(li.ifname()), "IPv4", "IPv6"));
            b.append(row2("  %-25s", "Bytes In", li.bytes(AddressFamily.INET, Direction.IN), li.bytes(AddressFamily.INET6, Direction.IN)));
            b.append(row2("  %-25s", "Bytes Out", li.bytes(AddressFamily.INET, Direction.OUT), li.bytes(AddressFamily.INET6, Direction.OUT)));
            b.append("  Packets In\n");
            b.append(row2("    %-23s", "Passed", li.counters().packets(AddressFamily.INET, Direction.IN, Action.PASS),
                    li.counters().packets(AddressFamily.INET6, Direction.IN, Action.PASS)));
            b.append(row2("    %-23s", "Blocked", li.counters().packets(AddressFamily.INET, Direction.IN, Action.BLOCK),
                    li.counters().packets(AddressFamily.INET6, Direction.IN, Action.BLOCK)));
            b.append("  Packets Out\n");
            b.append(row2("    %-23s", "Passed", li.counters().packets(AddressFamily.INET, Direction.OUT, Action.PASS),
                    li.counters().packets(AddressFamily.INET6, Direction.OUT, Action.PASS)));
            b.append(row2("    %-23s", "Blocked", li.counters().packets(AddressFamily.INET, Direction.OUT, Action.BLOCK),
                    li.counters().packets(AddressFamily.INET6, Direction.OUT, Action.BLOCK)));
            b.append('\n');
        }
        b.append(String.format("%-27s %14s %16s%n", "State Table", "Total", "Rate"));
        b.append(String.format("  %-25s %14s %14s%n", "current entries", Long.toUnsignedString(st.states()), ""));
        st.statesHalfopen().ifPresent(v -> b.append(String.format("  %-25s %14s %14s%n", "half-open tcp", Long.toUnsignedString(v), "")));
        counters(b, st.stateOperations(), runtime);
        if (verbose) {
            b.append("Source Tracking Table\n");
            b.append(String.format("  %-25s %14s %14s%n", "current entries", Long.toUnsignedString(st.srcNodes()), ""));
            counters(b, st.srcNodeOperations(), runtime);
            if (st.fragments().isPresent() || !st.fragmentOperations().isEmpty()) {
                b.append("Fragments\n");
                st.fragments().ifPresent(v -> b.append(String.format("  %-25s %14s %14s%n", "current entries", Long.toUnsignedString(v), "")));
                counters(b, st.fragmentOperations(), runtime);
            }
        }
        b.append("Counters\n");
        counters(b, st.counters(), runtime);
        if (verbose) {
            b.append("Limit Counters\n");
            counters(b, st.limitCounters(), runtime);
            b.append("Syncookies\n");
            st.syncookiesMode().ifPresent(m -> b.append(String.format("  %-25s %14s%n", "mode", m.kernelName())));
            b.append(String.format("  %-25s %14s%n", "active", st.syncookiesActive() ? "active" : "inactive"));
            st.syncookiesInflightTotal().ifPresent(v -> b.append(String.format("  %-25s %14s%n", "in flight", Long.toUnsignedString(v))));
            if (st.syncookieHiwat().isPresent() || st.syncookieLowat().isPresent()) {
                b.append("Adaptive Syncookies Watermarks\n");
                st.syncookieHiwat().ifPresent(v -> b.append(String.format("  %-25s %14s states%n", "start", Long.toUnsignedString(v))));
                st.syncookieLowat().ifPresent(v -> b.append(String.format("  %-25s %14s states%n", "end", Long.toUnsignedString(v))));
            }
        }
    }

    private static String row2(String labelFormat, String label, long v4, long v6) {
        return String.format(labelFormat + " %14s %16s%n", label, Long.toUnsignedString(v4), Long.toUnsignedString(v6));
    }

    private static void counters(StringBuilder b, KernelCounters c, long runtime) {
        for (KernelCounters.Entry e : c.entries()) {
            long v = e.value();
            b.append(String.format("  %-25s %14s ", e.name().kernelName(), Long.toUnsignedString(v)));
            if (runtime > 0) {
                double unsigned = v >= 0 ? v : ((double) ((v >>> 1) | (v & 1))) * 2.0;
                b.append(String.format(Locale.ROOT, "%14.1f/s%n", unsigned / runtime));
            } else {
                b.append(String.format("%14s%n", ""));
            }
        }
    }

    /** pfctl -sl: label evaluations packets bytes in-packets in-bytes out-packets out-bytes states-total. */
    private static void label(StringBuilder b, LabelCounters l) {
        b.append(Vis.vis(l.key().toString())).append(' ')
                .append(Long.toUnsignedString(l.evaluations())).append(' ')
                .append(Long.toUnsignedString(l.packetsIn() + l.packetsOut())).append(' ')
                .append(Long.toUnsignedString(l.bytesIn() + l.bytesOut())).append(' ')
                .append(Long.toUnsignedString(l.packetsIn())).append(' ')
                .append(Long.toUnsignedString(l.bytesIn())).append(' ')
                .append(Long.toUnsignedString(l.packetsOut())).append(' ')
                .append(Long.toUnsignedString(l.bytesOut())).append(' ')
                .append(Long.toUnsignedString(l.statesTotal())).append('\n');
    }

    /** pfctl -sI -vv. */
    private void iface(StringBuilder b, InterfaceCounters i) {
        b.append(Vis.vis(i.name()));
        if (i.skipped()) {
            b.append(" (skip)");
        }
        b.append('\n');
        if (!i.group()) {
            b.append("\tCleared:     ").append(ctime.format(Instant.ofEpochSecond(i.cleared()))).append('\n');
        }
        b.append(String.format("\tReferences:  [ States:  %-18s Rules: %-18s ]%n", Long.toUnsignedString(i.states()),
                Long.toUnsignedString(i.rules())));
        for (int n = 0; n < 8; n++) {
            AddressFamily af = AddressFamily.values()[(n >> 2) & 1];
            Direction dir = Direction.values()[(n >> 1) & 1];
            Action act = Action.values()[n & 1];
            String name = (dir == Direction.OUT ? "Out" : "In") + (af == AddressFamily.INET6 ? 6 : 4) + "/"
                    + (act == Action.BLOCK ? "Block" : "Pass") + ":";
            b.append(String.format("\t%-12s [ Packets: %-18s Bytes: %-18s ]%n", name,
                    Long.toUnsignedString(i.counters().packets(af, dir, act)), Long.toUnsignedString(i.counters().bytes(af, dir, act))));
        }
    }

    /** pfctl -sq -v. */
    private static void queue(StringBuilder b, QueueStats q) {
        if (q.name().isEmpty()) {
            // an ALTQ discipline on the interface itself (FreeBSD's CoDel): pfctl's print_altq
            b.append("altq on ").append(Vis.vis(q.ifname())).append(' ').append(q.kind().name().toLowerCase(Locale.ROOT));
        } else {
            b.append("queue ").append(Vis.vis(q.name()));
            if (!q.parent().isEmpty() && !q.parent().equals("_root_" + q.ifname())) {
                b.append(" parent ").append(Vis.vis(q.parent()));
            }
            b.append(" on ").append(Vis.vis(q.ifname()));
        }
        if (q.bandwidth() != 0) {
            b.append(" bandwidth ").append(rate(q.bandwidth()));
        }
        if ((q.flags() & QueueStats.PFQS_DEFAULT) != 0) {
            b.append(" default");
        }
        if (q.kind() == QueueStats.Kind.FQ_CODEL && q.flows() != 0) {
            b.append(" flows ").append(q.flows());
        }
        if (q.limit() != 0) {
            b.append(" qlimit ").append(q.limit());
        }
        b.append('\n');
        b.append(String.format("  [ pkts: %10s  bytes: %10s  dropped pkts: %6s bytes: %6s ]%n",
                Long.toUnsignedString(q.transmittedPackets()), Long.toUnsignedString(q.transmittedBytes()),
                Long.toUnsignedString(q.droppedPackets()), Long.toUnsignedString(q.droppedBytes())));
        b.append(String.format("  [ qlength: %3d/%3d ]%n", q.length(), q.limit()));
    }

    /** pfctl's rate2str: bits per second with K, M, G. */
    static String rate(long bits) {
        String[] units = {"", "K", "M", "G"};
        double r = bits;
        int u = 0;
        while (r >= 1000 && u < units.length - 1) {
            r /= 1000;
            u++;
        }
        return (r == Math.rint(r) ? String.format(Locale.ROOT, "%d", (long) r) : String.format(Locale.ROOT, "%.2f", r)) + units[u];
    }

    private static final String[][] TABLE_STATS = {
        {"In/Block:", "In/Match:", "In/Pass:", "In/XPass:"},
        {"Out/Block:", "Out/Match:", "Out/Pass:", "Out/XPass:"},
    };

    /** pfctl -sT -vv. */
    private void table(StringBuilder b, TableStats t) {
        b.append(t.flagLetters()).append('\t').append(Vis.vis(t.name()));
        if (!t.anchor().isEmpty()) {
            b.append('\t').append(Vis.vis(t.anchor()));
        }
        b.append('\n');
        b.append("\tAddresses:   ").append(Long.toUnsignedString(t.addresses())).append('\n');
        b.append("\tCleared:     ").append(ctime.format(Instant.ofEpochSecond(t.cleared()))).append('\n');
        b.append(String.format("\tReferences:  [ Anchors: %-18s Rules: %-18s ]%n", Long.toUnsignedString(t.refAnchors()),
                Long.toUnsignedString(t.refRules())));
        b.append(String.format("\tEvaluations: [ NoMatch: %-18s Match: %-18s ]%n", Long.toUnsignedString(t.nomatch()),
                Long.toUnsignedString(t.match())));
        for (Direction d : Direction.values()) {
            for (TableAction a : TableAction.values()) {
                b.append(String.format("\t%-12s [ Packets: %-18s Bytes: %-18s ]%n", TABLE_STATS[d.ordinal()][a.ordinal()],
                        Long.toUnsignedString(t.packets(d, a)), Long.toUnsignedString(t.bytes(d, a))));
            }
        }
    }

    /**
     * One named table as {@code pfctl -a ANCHOR -t NAME -T show -v} prints it (print_astats(): the
     * feedback column, {@code !} for a negated entry, the address, then Cleared and, unless pf holds no
     * counters for the entry, its packets and bytes by direction and action), under a header naming
     * the table, since show prints every named table at once.
     */
    private void tableAddresses(StringBuilder b, org.pfmeter.pf.model.TableAddresses t) {
        b.append("table <").append(Vis.vis(t.table().name())).append('>');
        if (!t.table().anchor().isEmpty()) {
            b.append(" in anchor ").append(Vis.vis(t.table().anchor()));
        }
        if (!t.found()) {
            b.append(": Table does not exist.\n");
            return;
        }
        b.append(": ").append(t.addresses().size()).append(t.addresses().size() == 1 ? " address" : " addresses").append('\n');
        for (org.pfmeter.pf.model.AddressCounters a : t.addresses()) {
            b.append("  ").append(a.address().negated() ? '!' : ' ').append(a.address().text().replaceFirst("^!", "")).append('\n');
            b.append("\tCleared:     ").append(ctime.format(Instant.ofEpochSecond(a.cleared()))).append('\n');
            if (!a.counted()) {
                continue;                   // PFR_FB_NOCOUNT: pfctl prints no counters
            }
            for (Direction d : Direction.values()) {
                for (TableAction op : List.of(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS)) {
                    b.append(String.format("\t%-12s [ Packets: %-18s Bytes: %-18s ]%n", TABLE_STATS[d.ordinal()][op.ordinal()],
                            Long.toUnsignedString(a.packets(d, op)), Long.toUnsignedString(a.bytes(d, op))));
                }
            }
        }
    }

    /**
     * netstat's pfsync_stats() lines, in its order (bad HMAC before bad action), indent and plural:
     * {@code %s} takes "s" unless the count is 1; lines without it (p2) never change.
     */
    private static final Object[][] NETSTAT_PFSYNC = {
        {org.pfmeter.pf.model.PfsyncCounter.IPACKETS, "\t%s packet%s received (IPv4)"},
        {org.pfmeter.pf.model.PfsyncCounter.IPACKETS6, "\t%s packet%s received (IPv6)"},
        {org.pfmeter.pf.model.PfsyncCounter.BADIF, "\t\t%s packet%s discarded for bad interface"},
        {org.pfmeter.pf.model.PfsyncCounter.BADTTL, "\t\t%s packet%s discarded for bad ttl"},
        {org.pfmeter.pf.model.PfsyncCounter.HDROPS, "\t\t%s packet%s shorter than header"},
        {org.pfmeter.pf.model.PfsyncCounter.BADVER, "\t\t%s packet%s discarded for bad version"},
        {org.pfmeter.pf.model.PfsyncCounter.BADAUTH, "\t\t%s packet%s discarded for bad HMAC"},
        {org.pfmeter.pf.model.PfsyncCounter.BADACT, "\t\t%s packet%s discarded for bad action"},
        {org.pfmeter.pf.model.PfsyncCounter.BADLEN, "\t\t%s packet%s discarded for short packet"},
        {org.pfmeter.pf.model.PfsyncCounter.BADVAL, "\t\t%s state%s discarded for bad values"},
        {org.pfmeter.pf.model.PfsyncCounter.STALE, "\t\t%s stale state%s"},
        {org.pfmeter.pf.model.PfsyncCounter.BADSTATE, "\t\t%s failed state lookup/insert%s"},
        {org.pfmeter.pf.model.PfsyncCounter.OPACKETS, "\t%s packet%s sent (IPv4)"},
        {org.pfmeter.pf.model.PfsyncCounter.OPACKETS6, "\t%s packet%s sent (IPv6)"},
        {org.pfmeter.pf.model.PfsyncCounter.ONOMEM, "\t\t%s send failed due to mbuf memory error"},
        {org.pfmeter.pf.model.PfsyncCounter.OERRORS, "\t\t%s send error"},
    };

    /** As {@code netstat -s -p pfsync} prints it (every line, as with one -s). */
    private static void pfsync(StringBuilder b, org.pfmeter.pf.model.PfsyncStats p) {
        b.append("pfsync:\n");
        for (Object[] line : NETSTAT_PFSYNC) {
            long v = p.get((org.pfmeter.pf.model.PfsyncCounter) line[0]);
            b.append(String.format((String) line[1], Long.toUnsignedString(v), v == 1 ? "" : "s")).append('\n');
        }
    }

    private static void timeouts(StringBuilder b, Timeouts t) {
        for (PfTimeout p : TIMEOUT_ORDER) {
            b.append(String.format("%-20s %10s%s%n", p.kernelName(), Long.toUnsignedString(t.get(p)), p.isStateCount() ? " states" : "s"));
        }
    }
}
