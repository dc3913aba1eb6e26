package org.pfmeter.pf.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated firewall's fixed structure: interfaces and their groups, the rulesets (main and
 * nested anchors) with their rules, tables and queues, and each rule's share of the traffic. What
 * changes over time lives in {@link SimKernel}.
 *
 * <p>Rules are written in a small pf.conf-like language ({@link Builder#rule}) so that the SMALL
 * firewall reads like a configuration; the LARGE one is generated in the same language. Rules are
 * kept as parallel arrays (50,000 of them in LARGE).
 */
final class Topology {

    // pfvar.h values used in rules
    static final int PF_PASS = 0;
    static final int PF_DROP = 1;
    static final int PF_MATCH = 12;
    static final int PF_INOUT = 0;
    static final int PF_IN = 1;
    static final int PF_OUT = 2;
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 24;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;

    /** One network interface as the kernel has it (pfi_kif with pfik_ifp set). */
    record IfaceDef(String name, List<String> groups, boolean skip) {
    }

    /** One ruleset: the main ruleset (index 0, path "") or an anchor. */
    static final class RulesetDef {
        final int index;
        final String path;
        final String name;
        final int parent;
        final List<Integer> children = new ArrayList<>();
        int firstRule;
        int ruleCount;

        RulesetDef(int index, String path, String name, int parent) {
            this.index = index;
            this.path = path;
            this.name = name;
            this.parent = parent;
        }
    }

    /** One table (pfr_ktable) of a ruleset. */
    record TableDef(int index, int ruleset, String anchor, String name, int addresses, int flags) {
    }

    /** One queue (pf_queuespec) in definition order. */
    record QueueDef(int index, String name, String parent, String ifname, long qid, long parentQid, int flags,
            long bandwidth, long realtime, long qlimit, double dropRate, int flows) {
    }

    final List<IfaceDef> interfaces;
    final String logInterface;
    final List<RulesetDef> rulesets;
    final List<TableDef> tables;            // kernel order: by name, then anchor
    final List<QueueDef> queues;
    private final Map<String, RulesetDef> rulesetByPath = new HashMap<>();

    // ---- rules, parallel arrays indexed by global rule number (rulesets' rules are contiguous) ----
    final int rules;
    final int[] ruleset;
    final int[] nr;
    final String[] label;
    final String[] ifname;
    final byte[] action;
    final byte[] direction;
    final byte[] af;
    final byte[] proto;
    final boolean[] quick;
    final boolean[] log;
    final boolean[] keepState;
    final int[] dstPort;
    final int[] srcTable;
    final int[] dstTable;
    final int[] anchorCall;                  // ruleset index called, or -1
    final String[] qname;
    // ---- the traffic each rule carries ----
    final int[] flowIface;                   // index into interfaces, -1: carries no traffic of its own
    final int[] flowQueue;                   // leaf queue its outbound packets go through, -1: none
    final int[] profile;
    final double[] cPacketsIn;               // per second at mean rate (TrafficModel.cumulative units)
    final double[] cPacketsOut;
    final double[] cBytesIn;
    final double[] cBytesOut;
    final double[] cConnections;             // states created per second at mean rate
    final int[] lifetime;                    // seconds a state lives
    final int[] skip;                        // pf_calc_skip_steps(): rules * PF_SKIP_COUNT, -1 = to the end
    final int[] tableRefs;                   // per table: rules that name it (pfrts_refcnt[PFR_REFCNT_RULE])

    private Topology(Builder b) {
        this.interfaces = List.copyOf(b.interfaces);
        this.logInterface = b.logInterface;
        this.rulesets = List.copyOf(b.rulesets);
        List<TableDef> t = new ArrayList<>(b.tables);
        t.sort(Comparator.comparing(TableDef::name).thenComparing(TableDef::anchor));
        this.tables = List.copyOf(t);
        this.queues = List.copyOf(b.queues);
        for (RulesetDef rs : rulesets) {
            rulesetByPath.put(rs.path, rs);
        }
        // rules grouped by ruleset (the builder may add them interleaved)
        List<Builder.R> all = new ArrayList<>();
        for (RulesetDef rs : rulesets) {
            List<Builder.R> mine = b.rulesByRuleset.getOrDefault(rs.index, List.of());
            rs.firstRule = all.size();
            rs.ruleCount = mine.size();
            all.addAll(mine);
        }
        int n = all.size();
        this.rules = n;
        ruleset = new int[n];
        nr = new int[n];
        label = new String[n];
        ifname = new String[n];
        action = new byte[n];
        direction = new byte[n];
        af = new byte[n];
        proto = new byte[n];
        quick = new boolean[n];
        log = new boolean[n];
        keepState = new boolean[n];
        dstPort = new int[n];
        srcTable = new int[n];
        dstTable = new int[n];
        anchorCall = new int[n];
        qname = new String[n];
        flowIface = new int[n];
        flowQueue = new int[n];
        profile = new int[n];
        cPacketsIn = new double[n];
        cPacketsOut = new double[n];
        cBytesIn = new double[n];
        cBytesOut = new double[n];
        cConnections = new double[n];
        lifetime = new int[n];
        Map<String, Integer> tableIndex = new HashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            tableIndex.put(tables.get(i).anchor() + "\0" + tables.get(i).name(), i);
        }
        for (int i = 0; i < n; i++) {
            Builder.R r = all.get(i);
            ruleset[i] = r.ruleset;
            nr[i] = i - rulesets.get(r.ruleset).firstRule;
            label[i] = r.label;
            ifname[i] = r.on;
            action[i] = (byte) r.action;
            direction[i] = (byte) r.direction;
            af[i] = (byte) r.af;
            proto[i] = (byte) r.proto;
            quick[i] = r.quick;
            log[i] = r.log;
            keepState[i] = r.action == PF_PASS;
            dstPort[i] = r.port;
            srcTable[i] = r.from == null ? -1 : resolveTable(tableIndex, r.ruleset, r.from);
            dstTable[i] = r.to == null ? -1 : resolveTable(tableIndex, r.ruleset, r.to);
            anchorCall[i] = r.anchorCall;
            qname[i] = r.queue;
            flowIface[i] = r.flowIface;
            flowQueue[i] = r.flowQueue;
            profile[i] = r.profile;
            cPacketsIn[i] = r.cPacketsIn;
            cPacketsOut[i] = r.cPacketsOut;
            cBytesIn[i] = r.cBytesIn;
            cBytesOut[i] = r.cBytesOut;
            cConnections[i] = r.cConnections;
            lifetime[i] = r.lifetime;
        }
        tableRefs = new int[tables.size()];
        for (int i = 0; i < n; i++) {
            if (srcTable[i] >= 0) {
                tableRefs[srcTable[i]]++;
            }
            if (dstTable[i] >= 0 && dstTable[i] != srcTable[i]) {
                tableRefs[dstTable[i]]++;
            }
        }
        skip = new int[n * SKIP_COUNT];
        for (RulesetDef rs : rulesets) {
            calcSkipSteps(rs.firstRule, rs.ruleCount);
        }
    }

    private int resolveTable(Map<String, Integer> index, int rs, String name) {
        // a table is looked up in the rule's own anchor first, then in the main ruleset
        Integer t = index.get(rulesets.get(rs).path + "\0" + name);
        if (t == null) {
            t = index.get("\0" + name);
        }
        if (t == null) {
            throw new IllegalArgumentException("rule in '" + rulesets.get(rs).path + "' refers to unknown table <" + name + ">");
        }
        return t;
    }

    static final int SKIP_COUNT = 9;

    /** pf_calc_skip_steps(): each rule's skip[i] is the first later rule whose field i differs from its run. */
    private void calcSkipSteps(int first, int count) {
        int[] head = new int[SKIP_COUNT];
        Arrays.fill(head, first);
        for (int cur = first; cur <= first + count; cur++) {
            boolean end = cur == first + count;
            int prev = Math.max(first, cur - 1);
            for (int f = 0; f < SKIP_COUNT; f++) {
                if (end || cur > first && differs(f, cur, prev)) {
                    for (int h = head[f]; h < cur; h++) {
                        skip[h * SKIP_COUNT + f] = end ? -1 : nr[cur];
                    }
                    head[f] = cur;
                }
            }
        }
    }

    private boolean differs(int field, int a, int b) {
        return switch (field) {
            case 0 -> !ifname[a].equals(ifname[b]);             // PF_SKIP_IFP
            case 1 -> direction[a] != direction[b];             // PF_SKIP_DIR
            case 2 -> false;                                    // PF_SKIP_RDOM: no rule sets on rdomain
            case 3 -> af[a] != af[b];                           // PF_SKIP_AF
            case 4 -> proto[a] != proto[b];                     // PF_SKIP_PROTO
            case 5 -> srcTable[a] != srcTable[b];               // PF_SKIP_SRC_ADDR
            case 6 -> dstTable[a] != dstTable[b];               // PF_SKIP_DST_ADDR
            case 7 -> false;                                    // PF_SKIP_SRC_PORT: no rule sets a source port
            default -> dstPort[a] != dstPort[b];                // PF_SKIP_DST_PORT
        };
    }

    /** The ruleset with this anchor path ("" = main), or null. */
    RulesetDef ruleset(String path) {
        return rulesetByPath.get(path);
    }

    /** The interface group names, sorted. */
    List<String> groupNames() {
        return interfaces.stream().flatMap(i -> i.groups().stream()).distinct().sorted().toList();
    }

    // =====================================================================================
    // building

    /** Collects interfaces, rulesets, tables, queues and rules. */
    static final class Builder {

        private static final java.util.regex.Pattern WORDS = java.util.regex.Pattern.compile("\\s+");

        private final SplittableRandom rnd;
        private final List<IfaceDef> interfaces = new ArrayList<>();
        private String logInterface = "";
        private final List<RulesetDef> rulesets = new ArrayList<>();
        private final List<TableDef> tables = new ArrayList<>();
        private final List<QueueDef> queues = new ArrayList<>();
        private final Map<Integer, List<R>> rulesByRuleset = new LinkedHashMap<>();
        private final Map<String, QueueDef> queueByName = new HashMap<>();
        private final Map<String, Integer> defaultQueueByIface = new HashMap<>();
        private final Map<String, Integer> ifaceByName = new HashMap<>();
        private Map<String, String> names = Map.of();

        Builder(long seed) {
            rnd = new SplittableRandom(seed);
            rulesets.add(new RulesetDef(0, "", "", -1));
        }

        /**
         * Other names for labels, tables, queues and anchors, applied to every occurrence when the
         * firewall is built (so rules still refer to them by their usual names). Each new name is text
         * as pfmeter decodes kernel bytes ({@link org.pfmeter.pf.abi.KernelStrings}: {@code \xNN} a
         * byte that is not UTF-8, {@code \\} a backslash) and must fit its char array.
         */
        Builder names(Map<String, String> renames) {
            for (Map.Entry<String, String> e : renames.entrySet()) {
                String v = e.getValue();
                byte[] bytes = org.pfmeter.pf.abi.KernelStrings.encode(v);
                if (v.isEmpty() || !org.pfmeter.pf.abi.KernelStrings.decode(bytes, 0, bytes.length).equals(v)) {
                    throw new IllegalArgumentException("simulated name for " + e.getKey() + " must be non-empty text as pfmeter "
                            + "decodes it (a backslash written \\\\, a non-UTF-8 byte \\xNN): " + v);
                }
            }
            this.names = Map.copyOf(renames);
            return this;
        }

        private String named(String s) {
            return s == null ? null : names.getOrDefault(s, s);
        }

        /** Applies {@link #names}: anchors (and the paths below them), tables, queues and labels. */
        private void rename() {
            if (names.isEmpty()) {
                return;
            }
            for (List<R> rs : rulesByRuleset.values()) {
                for (R r : rs) {
                    r.label = named(r.label);
                    r.queue = named(r.queue);
                    r.from = named(r.from);
                    r.to = named(r.to);
                }
            }
            for (int i = 1; i < rulesets.size(); i++) {           // parents come before their children
                RulesetDef old = rulesets.get(i);
                String name = named(old.name);
                String parentPath = rulesets.get(old.parent).path;
                RulesetDef rs = new RulesetDef(i, parentPath.isEmpty() ? name : parentPath + "/" + name, name, old.parent);
                rs.children.addAll(old.children);
                rulesets.set(i, rs);
            }
            for (RulesetDef rs : rulesets) {
                rs.children.sort(Comparator.comparing(c -> rulesets.get(c).path));
            }
            tables.replaceAll(t -> new TableDef(t.index(), t.ruleset(), rulesets.get(t.ruleset()).path, named(t.name()),
                    t.addresses(), t.flags()));
            queues.replaceAll(q -> new QueueDef(q.index(), named(q.name()), named(q.parent()), q.ifname(), q.qid(), q.parentQid(),
                    q.flags(), q.bandwidth(), q.realtime(), q.qlimit(), q.dropRate(), q.flows()));
        }

        /** {@code ifname} joins the groups given and "all"; {@code set skip on} it when {@code skip}. */
        Builder iface(String ifname, boolean skip, String... groups) {
            List<String> g = new ArrayList<>();
            g.add("all");
            g.addAll(List.of(groups));
            interfaces.add(new IfaceDef(ifname, List.copyOf(g), skip));
            ifaceByName.putIfAbsent(ifname, interfaces.size() - 1);
            for (String group : g) {
                ifaceByName.putIfAbsent(group, interfaces.size() - 1);
            }
            return this;
        }

        Builder logInterface(String ifname) {
            this.logInterface = ifname;
            return this;
        }

        /** Creates anchor {@code name} below {@code parent} and returns its index. */
        int anchor(int parent, String name) {
            RulesetDef p = rulesets.get(parent);
            String path = p.path.isEmpty() ? name : p.path + "/" + name;
            RulesetDef rs = new RulesetDef(rulesets.size(), path, name, parent);
            rulesets.add(rs);
            p.children.add(rs.index);
            // DIOCGETRULESET enumerates the children in the anchor tree's order: by path
            p.children.sort(Comparator.comparing(i -> rulesets.get(i).path));
            return rs.index;
        }

        Builder table(int ruleset, String name, int addresses, int flags) {
            tables.add(new TableDef(tables.size(), ruleset, rulesets.get(ruleset).path, name, addresses, flags));
            return this;
        }

        /**
         * Adds a queue in definition order; qids count from 1 as the kernel assigns them. A queue with
         * {@code flows} > 0 and no parent is a stand-alone FQ-CoDel queue.
         */
        Builder queue(String name, String parent, String ifname, long bandwidth, long realtime, int flags, long qlimit,
                double dropRate, int flows) {
            long parentQid = parent.isEmpty() ? 0 : queueByName.get(parent).qid();
            QueueDef q = new QueueDef(queues.size(), name, parent, ifname, queues.size() + 1L, parentQid, flags, bandwidth,
                    realtime, qlimit, dropRate, flows);
            queues.add(q);
            queueByName.put(name, q);
            if ((flags & org.pfmeter.pf.model.QueueStats.PFQS_DEFAULT) != 0) {
                defaultQueueByIface.put(ifname, q.index());
            }
            return this;
        }

        /**
         * Adds a rule to {@code ruleset}, written like pf.conf with a traffic annotation:
         * <pre>
         * pass|block [in|out] [quick] [log] [on IF] [inet|inet6] [tcp|udp|icmp|icmp6]
         *     [from &lt;TABLE&gt;] [to &lt;TABLE&gt;] [port N] [label NAME] [queue NAME]
         *     [via IF] [traffic KIND RATE]
         * anchor NAME [on IF]
         * </pre>
         * {@code traffic KIND RATE}: the rule's states carry RATE bytes per second on average (k, M
         * suffixes), shaped by the {@link TrafficModel.Kind}; for a block rule, RATE is what it drops.
         * The traffic is counted on {@code via IF}, else on the {@code on} interface (a group's first
         * member). {@code anchor NAME} calls the child anchor NAME, creating it if needed.
         */
        Builder rule(int rs, String spec) {
            R r = new R();
            r.ruleset = rs;
            String[] tok = WORDS.split(spec.trim());
            int i = 0;
            String via = null;
            String kind = null;
            double rate = 0;
            switch (tok[i++]) {
                case "pass" -> r.action = PF_PASS;
                case "block" -> r.action = PF_DROP;
                case "anchor" -> {
                    r.action = PF_MATCH;
                    String name = tok[i++];
                    int child = -1;
                    for (int c : rulesets.get(rs).children) {
                        if (rulesets.get(c).name.equals(name)) {
                            child = c;
                        }
                    }
                    r.anchorCall = child >= 0 ? child : anchor(rs, name);
                }
                default -> throw new IllegalArgumentException("rule must start with pass, block or anchor: " + spec);
            }
            while (i < tok.length) {
                String t = tok[i++];
                switch (t) {
                    case "in" -> r.direction = PF_IN;
                    case "out" -> r.direction = PF_OUT;
                    case "quick" -> r.quick = true;
                    case "log" -> r.log = true;
                    case "on" -> r.on = tok[i++];
                    case "inet" -> r.af = AF_INET;
                    case "inet6" -> r.af = AF_INET6;
                    case "tcp" -> r.proto = IPPROTO_TCP;
                    case "udp" -> r.proto = IPPROTO_UDP;
                    case "icmp" -> r.proto = IPPROTO_ICMP;
                    case "icmp6" -> r.proto = IPPROTO_ICMPV6;
                    case "from" -> r.from = table(tok[i++]);
                    case "to" -> r.to = table(tok[i++]);
                    case "port" -> r.port = Integer.parseInt(tok[i++]);
                    case "label" -> r.label = tok[i++];
                    case "queue" -> r.queue = tok[i++];
                    case "via" -> via = tok[i++];
                    case "traffic" -> {
                        kind = tok[i++];
                        rate = parseRate(tok[i++]);
                    }
                    default -> throw new IllegalArgumentException("unknown word '" + t + "' in rule: " + spec);
                }
            }
            if (!r.queue.isEmpty() && !queueByName.containsKey(r.queue)) {
                throw new IllegalArgumentException("unknown queue " + r.queue + " in rule: " + spec);
            }
            if (kind != null) {
                String iface = via != null ? via : r.on;
                r.flowIface = ifaceIndex(iface);
                if (r.flowIface < 0) {
                    throw new IllegalArgumentException("traffic needs an interface (on or via): " + spec);
                }
                traffic(r, TrafficModel.Kind.valueOf(kind.toUpperCase(Locale.ROOT)), rate);
            }
            rulesByRuleset.computeIfAbsent(rs, k -> new ArrayList<>()).add(r);
            return this;
        }

        private static String table(String t) {
            if (!t.startsWith("<") || !t.endsWith(">")) {
                throw new IllegalArgumentException("a table is written <name>: " + t);
            }
            return t.substring(1, t.length() - 1);
        }

        private static double parseRate(String s) {
            double m = 1;
            if (s.endsWith("k")) {
                m = 1e3;
            } else if (s.endsWith("M")) {
                m = 1e6;
            }
            return Double.parseDouble(m == 1 ? s : s.substring(0, s.length() - 1)) * m;
        }

        /** An interface, or a group's first member. */
        private int ifaceIndex(String name) {
            if (name == null || name.isEmpty()) {
                return -1;
            }
            Integer i = ifaceByName.get(name);
            if (i == null) {
                throw new IllegalArgumentException("no interface or group " + name);
            }
            return i;
        }

        /**
         * Splits {@code rate} bytes per second between the rule's two directions. Packets and bytes of
         * a rule are counted by the direction they cross the interface (pf_counters_inc(): index 0 =
         * in, 1 = out), so a "pass in" rule's requests are its "in" side and the answers its "out" side.
         */
        private void traffic(R r, TrafficModel.Kind kind, double rate) {
            double jitter = 0.75 + rnd.nextDouble() * 0.5;
            rate *= jitter;
            r.profile = TrafficModel.profile(kind, rnd.nextInt(TrafficModel.VARIANTS));
            if (r.action == PF_DROP) {
                double size = 64 + rnd.nextInt(40);         // scans and probes: small packets
                if (r.direction == PF_OUT) {
                    r.cBytesOut = rate;
                    r.cPacketsOut = rate / size;
                } else {
                    r.cBytesIn = rate;
                    r.cPacketsIn = rate / size;
                }
                return;
            }
            // answers / requests by volume; packet sizes of each side
            double asym;
            double bytesPerConnection;
            int life;
            switch (kind) {
                case OFFICE -> { asym = 6; bytesPerConnection = 180e3; life = 120; }
                case RESIDENTIAL -> { asym = 10; bytesPerConnection = 900e3; life = 300; }
                case SERVER -> { asym = 5; bytesPerConnection = 60e3; life = 60; }
                case BACKUP -> { asym = 0.12; bytesPerConnection = 40e6; life = 1800; }
                case INFRA -> { asym = 1.6; bytesPerConnection = 400; life = 30; }
                default -> { asym = 1; bytesPerConnection = 2e3; life = 60; }
            }
            double request = rate / (1 + asym);
            double answer = rate - request;
            double requestPkt = asym >= 1 ? 90 + rnd.nextInt(80) : 1200 + rnd.nextInt(200);
            double answerPkt = asym >= 1 ? (kind == TrafficModel.Kind.INFRA ? 120 + rnd.nextInt(60) : 1100 + rnd.nextInt(300))
                    : 66 + rnd.nextInt(20);
            boolean requestsIn = r.direction != PF_OUT;
            r.cBytesIn = requestsIn ? request : answer;
            r.cBytesOut = requestsIn ? answer : request;
            r.cPacketsIn = requestsIn ? request / requestPkt : answer / answerPkt;
            r.cPacketsOut = requestsIn ? answer / answerPkt : request / requestPkt;
            r.cConnections = rate / bytesPerConnection;
            r.lifetime = life;
            // outbound packets on an interface with queues go through the rule's queue, or the default one
            String flowIfname = interfaces.get(r.flowIface).name();
            if (!r.queue.isEmpty() && queueByName.get(r.queue).ifname().equals(flowIfname)) {
                r.flowQueue = queueByName.get(r.queue).index();
            } else {
                r.flowQueue = defaultQueueByIface.getOrDefault(flowIfname, -1);
            }
        }

        /**
         * Builds the firewall, scaling every rule's connection rate so that the state table holds
         * {@code meanStates} states at mean traffic (the bytes stay: connections get longer or shorter).
         */
        Topology build(double meanStates) {
            double states = 0;
            for (List<R> rs : rulesByRuleset.values()) {
                for (R r : rs) {
                    states += r.cConnections * r.lifetime;
                }
            }
            if (states > 0) {
                double scale = meanStates / states;
                for (List<R> rs : rulesByRuleset.values()) {
                    for (R r : rs) {
                        r.cConnections *= scale;
                    }
                }
            }
            rename();
            return new Topology(this);
        }

        /** A rule under construction. */
        private static final class R {
            int ruleset;
            int action;
            int direction = PF_INOUT;
            boolean quick;
            boolean log;
            String on = "";
            int af = AF_UNSPEC;
            int proto;
            String from;
            String to;
            int port;
            String label = "";
            String queue = "";
            int anchorCall = -1;
            int flowIface = -1;
            int flowQueue = -1;
            int profile;
            double cPacketsIn;
            double cPacketsOut;
            double cBytesIn;
            double cBytesOut;
            double cConnections;
            int lifetime = 60;
        }
    }
}
