package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_ANCHOR_NAME_SIZE;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.PfsyncStats;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * How pf is read, written once per request: validate, zero, fill, call, copy back (pfctl's shape).
 * The ticketed rule walk with DIOCXEND, the grow-and-retry buffers and the per-index loops live here,
 * and tickets never leave this class.
 */
public final class PfProtocol {

    /** Attempts at a rule or queue walk that keeps answering EBUSY because the ruleset changes. */
    public static final int DEFAULT_BUSY_ATTEMPTS = 5;
    /** First DIOCIGETIFACES capacity; grown by doubling. */
    static final int INITIAL_IFACES = 64;
    /** Refuse to grow beyond this many kifs (a kernel that always says "more" must not exhaust memory). */
    static final int MAX_IFACES = 1 << 16;
    /**
     * Refuse table lists larger than this (PF_LIMIT_TABLES is 1000 by default): the buffer is sized
     * by the kernel's count, so the cap bounds it (65,536 × 1,232 bytes = 77 MiB).
     */
    static final int MAX_TABLES = 1 << 16;
    /** Refuse a rule walk announcing more rules than this (the LARGE simulation has 50,000). */
    static final long MAX_RULES = 1 << 22;
    /**
     * Refuse a source node list larger than this whatever the configured bound (PF_LIMIT_SRC_NODES is
     * 10,000 by default): 1,048,576 × 152 bytes = 152 MiB of buffer.
     */
    static final long MAX_SRC_NODES = 1 << 20;
    /** Refuse more anchors than this in all (PF_LIMIT_ANCHORS is 512 by default). */
    static final int MAX_ANCHORS = 1 << 16;

    private final PfDevice device;
    private final PfAbi abi;
    private final int busyAttempts;
    private int lastIfaceCount = INITIAL_IFACES / 2;

    public PfProtocol(PfDevice device, PfAbi abi) {
        this(device, abi, DEFAULT_BUSY_ATTEMPTS);
    }

    public PfProtocol(PfDevice device, PfAbi abi, int busyAttempts) {
        if (busyAttempts < 1) {
            throw new IllegalArgumentException("busyAttempts must be at least 1");
        }
        this.device = device;
        this.abi = abi;
        this.busyAttempts = busyAttempts;
    }

    public PfAbi abi() {
        return abi;
    }

    // ---- the call ----

    private ByteBuffer arg(PfIoctl io) {
        int size = io.argument().equals("u_int32_t") ? 4 : abi.struct(io.argument()).size();
        return NativeBytes.allocate(size);
    }

    private int call(PfIoctl io, ByteBuffer arg, IoctlCall.Pointee... pointees) {
        return device.ioctl(new IoctlCall(io.name(), abi.request(io), arg, List.of(pointees)));
    }

    private void check(PfIoctl io, ByteBuffer arg, IoctlCall.Pointee... pointees) throws PfIoctlException {
        int errno = call(io, arg, pointees);
        if (errno != 0) {
            throw PfIoctlException.of(io.name(), errno, abi.release());
        }
    }

    /**
     * Only the decoders' own {@link MalformedAnswerException} becomes a malformed-answer error: any other
     * exception is a bug in pfmeter (DecoderFuzzTest looks for them) and must not pass for bad kernel data.
     */
    private static <T> T decoding(PfIoctl io, java.util.function.Supplier<T> decode) throws PfIoctlException {
        try {
            return decode.get();
        } catch (MalformedAnswerException e) {
            throw PfIoctlException.malformed(io.name(), e.getMessage());
        }
    }

    // ---- status ----

    /** DIOCGETSTATUS and DIOCGETSYNFLWATS. */
    public Status readStatus() throws PfIoctlException {
        ByteBuffer status = arg(PfIoctl.DIOCGETSTATUS);
        check(PfIoctl.DIOCGETSTATUS, status);
        CStruct wats = abi.struct("pfioc_synflwats");
        ByteBuffer w = arg(PfIoctl.DIOCGETSYNFLWATS);
        check(PfIoctl.DIOCGETSYNFLWATS, w);
        long hiwat = NativeBytes.u32(w, wats.offset("hiwat"));
        long lowat = NativeBytes.u32(w, wats.offset("lowat"));
        return decoding(PfIoctl.DIOCGETSTATUS, () -> abi.status().decode(status, hiwat, lowat));
    }

    // ---- limits and timeouts: one call per index ----

    /** DIOCGETLIMIT for every PF_LIMIT_* below PF_LIMIT_MAX. */
    public Limits readLimits() throws PfIoctlException {
        CStruct s = abi.struct("pfioc_limit");
        long[] v = new long[PfLimit.values().length];
        for (PfLimit l : PfLimit.values()) {
            ByteBuffer b = arg(PfIoctl.DIOCGETLIMIT);
            b.putInt(s.offset("index"), l.ordinal());
            check(PfIoctl.DIOCGETLIMIT, b);
            v[l.ordinal()] = NativeBytes.u32(b, s.offset("limit"));
        }
        return new Limits(EnumCounters.of(PfLimit.class, v));
    }

    /** DIOCGETTIMEOUT for every PFTM_* below PFTM_MAX. */
    public Timeouts readTimeouts() throws PfIoctlException {
        CStruct s = abi.struct("pfioc_tm");
        long[] v = new long[PfTimeout.values().length];
        for (PfTimeout t : PfTimeout.values()) {
            ByteBuffer b = arg(PfIoctl.DIOCGETTIMEOUT);
            b.putInt(s.offset("timeout"), t.ordinal());
            check(PfIoctl.DIOCGETTIMEOUT, b);
            v[t.ordinal()] = Integer.toUnsignedLong(NativeBytes.s32(b, s.offset("seconds")));
        }
        return new Timeouts(EnumCounters.of(PfTimeout.class, v));
    }

    // ---- interfaces: grow until the answer is shorter than the buffer ----

    /**
     * Every kif, groups with their members' counters added up. DIOCIGETIFACES fills at most
     * capacity − 1 entries and reports exactly the capacity when the list did not fit (its last entry
     * is then uninitialised kernel memory), so only an answer strictly below the capacity is complete.
     */
    public List<InterfaceCounters> readInterfaces() throws PfIoctlException {
        List<InterfaceCounters> kifs = ifaces("");
        lastIfaceCount = kifs.size();
        Map<String, InterfaceCounters> byName = new LinkedHashMap<>();
        for (InterfaceCounters k : kifs) {
            byName.put(k.name(), k);
        }
        List<InterfaceCounters> out = new ArrayList<>(kifs.size());
        for (InterfaceCounters k : kifs) {
            if (!k.group()) {
                out.add(k);
                continue;
            }
            // The kernel counts only on interfaces; a group's filter returns the group and its members.
            List<String> members = new ArrayList<>();
            TrafficCounters sum = k.counters();
            for (InterfaceCounters m : ifaces(k.name())) {
                if (!m.group() && byName.containsKey(m.name())) {
                    members.add(m.name());
                    sum = sum.plus(byName.get(m.name()).counters());
                }
            }
            out.add(new InterfaceCounters(k.name(), true, members, k.flags(), k.cleared(), k.states(), k.rules(), sum));
        }
        return out;
    }

    private List<InterfaceCounters> ifaces(String filter) throws PfIoctlException {
        CStruct s = abi.struct("pfioc_iface");
        PfiKif kif = abi.kif();
        int capacity = Math.max(INITIAL_IFACES, Integer.highestOneBit(Math.max(1, lastIfaceCount)) * 2);
        while (true) {
            ByteBuffer b = arg(PfIoctl.DIOCIGETIFACES);
            NativeBytes.putCString(b, s.offset("pfiio_name"), IFNAMSIZ, filter);
            b.putInt(s.offset("pfiio_esize"), kif.size());
            b.putInt(s.offset("pfiio_size"), capacity);
            ByteBuffer buf = NativeBytes.allocate(kif.size() * capacity);
            check(PfIoctl.DIOCIGETIFACES, b, new IoctlCall.Pointee("pfiio_buffer", s.offset("pfiio_buffer"), buf));
            int n = b.getInt(s.offset("pfiio_size"));
            int esize = b.getInt(s.offset("pfiio_esize"));
            if (esize != kif.size()) {
                throw PfIoctlException.abiMismatch("DIOCIGETIFACES", 0, abi.release(),
                        "the kernel changed pfiio_esize from " + kif.size() + " to " + esize);
            }
            if (n < 0 || n > capacity) {
                throw PfIoctlException.malformed("DIOCIGETIFACES", "pfiio_size " + n + " outside 0.." + capacity);
            }
            if (n < capacity) {
                List<InterfaceCounters> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int base = i * kif.size();
                    list.add(decoding(PfIoctl.DIOCIGETIFACES, () -> kif.decode(buf, base)));
                }
                return list;
            }
            if (capacity >= MAX_IFACES) {
                throw PfIoctlException.malformed("DIOCIGETIFACES", "more than " + MAX_IFACES + " interfaces");
            }
            capacity *= 2;
        }
    }

    // ---- rules: anchors recursively, ticketed walks, DIOCXEND always ----

    private static final class RulesetChanged extends Exception {
        private static final long serialVersionUID = 1L;
        final String ioctl;

        RulesetChanged(String ioctl) {
            super(ioctl, null, false, false);
            this.ioctl = ioctl;
        }
    }

    /**
     * Every rule of the main ruleset and of every anchor below it, and the label sums. A walk that
     * sees the ruleset change (EBUSY, or an anchor that vanished: EINVAL) starts over, at most
     * {@code busyAttempts} times.
     */
    public Rules readRules() throws PfIoctlException {
        String last = "DIOCGETRULE";
        for (int attempt = 0; attempt < busyAttempts; attempt++) {
            try {
                List<String> anchors = new ArrayList<>();
                anchors.add("");
                anchors("", anchors);
                List<RuleCounters> rules = new ArrayList<>();
                for (String a : anchors) {
                    walk(a, rules);
                }
                return new Rules(anchors, rules, labels(rules));
            } catch (RulesetChanged e) {
                last = e.ioctl;
            }
        }
        throw PfIoctlException.busy(last, busyAttempts);
    }

    /** Sums the rules sharing a (anchor, label); unlabelled rules are left out. */
    public static List<LabelCounters> labels(List<RuleCounters> rules) {
        Map<LabelKey, LabelCounters> sums = new TreeMap<>();
        for (RuleCounters r : rules) {
            if (r.label().isEmpty()) {
                continue;
            }
            LabelKey k = new LabelKey(r.anchor(), r.label());
            sums.put(k, sums.getOrDefault(k, LabelCounters.empty(r.anchor(), r.label())).plus(r));
        }
        return new ArrayList<>(sums.values());
    }

    private void anchors(String path, List<String> out) throws PfIoctlException, RulesetChanged {
        CStruct s = abi.struct("pfioc_ruleset");
        ByteBuffer b = arg(PfIoctl.DIOCGETRULESETS);
        NativeBytes.putCString(b, s.offset("path"), PATH_MAX, path);
        int errno = call(PfIoctl.DIOCGETRULESETS, b);
        if (errno == Errno.EINVAL && !path.isEmpty()) {
            throw new RulesetChanged("DIOCGETRULESETS");     // the anchor went away since its parent listed it
        }
        if (errno != 0) {
            throw PfIoctlException.of("DIOCGETRULESETS", errno, abi.release());
        }
        long n = NativeBytes.u32(b, s.offset("nr"));
        if (n > 1 << 16) {
            throw PfIoctlException.malformed("DIOCGETRULESETS", n + " child anchors of '" + path + "'");
        }
        for (int i = 0; i < n; i++) {
            ByteBuffer c = arg(PfIoctl.DIOCGETRULESET);
            NativeBytes.putCString(c, s.offset("path"), PATH_MAX, path);
            c.putInt(s.offset("nr"), i);
            errno = call(PfIoctl.DIOCGETRULESET, c);
            if (errno == Errno.EBUSY || errno == Errno.EINVAL) {
                throw new RulesetChanged("DIOCGETRULESET");  // fewer children than a moment ago
            }
            if (errno != 0) {
                throw PfIoctlException.of("DIOCGETRULESET", errno, abi.release());
            }
            String name = decoding(PfIoctl.DIOCGETRULESET, () -> NativeBytes.cString(c, s.offset("name"), PF_ANCHOR_NAME_SIZE));
            // an empty name would list the parent again (and again): the kernel's names are never empty
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                throw PfIoctlException.malformed("DIOCGETRULESET", "child " + i + " of '" + path + "' is named '" + name
                        + "', not an anchor name");
            }
            String child = path.isEmpty() ? name : path + "/" + name;
            if (KernelStrings.encode(child).length >= PATH_MAX) {
                throw PfIoctlException.malformed("DIOCGETRULESET", "anchor path '" + child + "' is longer than PATH_MAX");
            }
            if (out.size() >= MAX_ANCHORS) {
                throw PfIoctlException.malformed("DIOCGETRULESETS", "more than " + MAX_ANCHORS + " anchors");
            }
            out.add(child);
            anchors(child, out);
        }
    }

    private void walk(String anchor, List<RuleCounters> out) throws PfIoctlException, RulesetChanged {
        PfiocRule codec = abi.rule();
        ByteBuffer b = arg(PfIoctl.DIOCGETRULES);
        NativeBytes.putCString(b, codec.anchor, PATH_MAX, anchor);
        int errno = call(PfIoctl.DIOCGETRULES, b);
        if (errno == Errno.EINVAL && !anchor.isEmpty()) {
            throw new RulesetChanged("DIOCGETRULES");
        }
        if (errno != 0) {
            throw PfIoctlException.of("DIOCGETRULES", errno, abi.release());
        }
        long ticket = NativeBytes.u32(b, codec.ticket);
        long count = NativeBytes.u32(b, codec.nr);
        if (count > MAX_RULES) {
            end(ticket);
            throw PfIoctlException.malformed("DIOCGETRULES", count + " rules in '" + anchor + "', more than " + MAX_RULES);
        }
        int walked = 0;
        List<RuleCounters> mine = new ArrayList<>();
        try {
            while (true) {
                // DIOCGETRULE is an iterator on the ticket: the same struct, called until ENOENT. The
                // anchor and ticket are ours: what the kernel wrote back into them is not asked again.
                NativeBytes.putCString(b, codec.anchor, PATH_MAX, anchor);
                NativeBytes.putU32(b, codec.ticket, ticket);
                errno = call(PfIoctl.DIOCGETRULE, b);
                if (errno == Errno.ENOENT) {
                    break;
                }
                if (errno == Errno.EBUSY) {
                    throw new RulesetChanged("DIOCGETRULE");
                }
                if (errno != 0) {
                    throw PfIoctlException.of("DIOCGETRULE", errno, abi.release());
                }
                if (++walked > count) {
                    throw PfIoctlException.malformed("DIOCGETRULE", "more rules than the " + count + " DIOCGETRULES announced in '" + anchor + "'");
                }
                mine.add(decoding(PfIoctl.DIOCGETRULE, () -> codec.decode(b, anchor)));
            }
        } finally {
            end(ticket);
        }
        out.addAll(mine);
    }

    /** DIOCXEND: releases the walk's ticket; the kernel caps open tickets per descriptor. */
    private void end(long ticket) {
        ByteBuffer t = arg(PfIoctl.DIOCXEND);
        NativeBytes.putU32(t, 0, ticket);
        call(PfIoctl.DIOCXEND, t);   // ENXIO: already gone, nothing to release
    }

    // ---- tables: a proper size query ----

    /**
     * Every table of every ruleset (PFR_FLAG_ALLRSETS). DIOCRGETTSTATS copies nothing and reports the
     * count when the buffer is too small, so ask again with that size.
     */
    public List<TableStats> readTables() throws PfIoctlException {
        CStruct s = abi.struct("pfioc_table");
        PfrTstats codec = abi.tstats();
        int capacity = 0;
        for (int attempt = 0; attempt < busyAttempts + 2; attempt++) {
            ByteBuffer b = arg(PfIoctl.DIOCRGETTSTATS);
            b.putInt(s.offset("pfrio_esize"), codec.size());
            b.putInt(s.offset("pfrio_size"), capacity);
            b.putInt(s.offset("pfrio_flags"), PfConstants.PFR_FLAG_ALLRSETS);
            ByteBuffer buf = NativeBytes.allocate(codec.size() * capacity);
            check(PfIoctl.DIOCRGETTSTATS, b, new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"), buf));
            int n = b.getInt(s.offset("pfrio_size"));
            int esize = b.getInt(s.offset("pfrio_esize"));
            if (esize != codec.size()) {
                throw PfIoctlException.abiMismatch("DIOCRGETTSTATS", 0, abi.release(),
                        "the kernel changed pfrio_esize from " + codec.size() + " to " + esize);
            }
            if (n < 0 || n > MAX_TABLES) {
                throw PfIoctlException.malformed("DIOCRGETTSTATS", "pfrio_size " + n + " outside 0.." + MAX_TABLES);
            }
            if (n <= capacity) {
                List<TableStats> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int base = i * codec.size();
                    list.add(decoding(PfIoctl.DIOCRGETTSTATS, () -> codec.decode(buf, base)));
                }
                return list;
            }
            capacity = Math.min(MAX_TABLES, n + n / 8 + 4);   // tables may be added between the two calls
        }
        throw PfIoctlException.busy("DIOCRGETTSTATS", busyAttempts + 2);
    }

    // ---- source tracking nodes: pfctl's size query and doubling ----

    /**
     * DIOCGETSRCNODES, aggregated while decoding ({@link SourceNodeTally}). pfctl_show_src_nodes()'s
     * protocol: a first call with {@code psn_len} 0 makes the kernel report the size it needs; then
     * twice that is offered, and doubled again until the answer is shorter than the buffer by more
     * than a {@code struct pfioc_src_nodes} (the kernel copies whole nodes while they fit and sets
     * {@code psn_len} to what it copied, so a full buffer may mean "more"). When the kernel's first
     * answer counts more than {@code bound} nodes, nothing is copied: only the count is reported.
     *
     * @param rules the rules read in the same poll, to tie a node's rule number to (anchor, label);
     *              empty when they could not be read (every node is then unattributed)
     * @param top   how many nodes to keep, most states first
     */
    public SourceNodes readSourceNodes(List<RuleCounters> rules, long bound, int top) throws PfIoctlException {
        CStruct s = abi.struct("pfioc_src_nodes");
        PfSrcNode codec = abi.srcNode();
        int psnLen = s.offset("psn_len");
        int psnBuf = s.offset("psn_u");
        ByteBuffer q = arg(PfIoctl.DIOCGETSRCNODES);
        check(PfIoctl.DIOCGETSRCNODES, q);
        long need = q.getLong(psnLen);
        if (need < 0 || need % codec.size() != 0) {
            throw PfIoctlException.malformed("DIOCGETSRCNODES", "psn_len " + Long.toUnsignedString(need)
                    + " is not a multiple of sizeof(struct pf_src_node) = " + codec.size());
        }
        long count = need / codec.size();
        if (count > bound) {
            return SourceNodes.countOnly(count, bound);
        }
        if (count == 0) {
            return new SourceNodeTally(codec, rules, top).result(bound);
        }
        long len = need;
        for (int attempt = 0; attempt < busyAttempts + 8; attempt++) {
            len *= 2;
            if (len / codec.size() > 2 * Math.min(MAX_SRC_NODES, Math.max(bound, 1))) {
                throw PfIoctlException.malformed("DIOCGETSRCNODES", "the node list kept growing past "
                        + Math.min(MAX_SRC_NODES, bound) + " nodes while it was read");
            }
            ByteBuffer b = arg(PfIoctl.DIOCGETSRCNODES);
            b.putLong(psnLen, len);
            ByteBuffer buf = NativeBytes.allocate((int) len);
            check(PfIoctl.DIOCGETSRCNODES, b, new IoctlCall.Pointee("psn_buf", psnBuf, buf));
            long got = b.getLong(psnLen);
            if (got < 0 || got > len || got % codec.size() != 0) {
                throw PfIoctlException.malformed("DIOCGETSRCNODES", "psn_len " + Long.toUnsignedString(got)
                        + " after offering " + len + " bytes of whole " + codec.size() + "-byte nodes");
            }
            if (got + s.size() < len) {
                long n = got / codec.size();
                if (n > bound) {
                    return SourceNodes.countOnly(n, bound);      // grew past the bound since the size query
                }
                SourceNodeTally tally = new SourceNodeTally(codec, rules, top);
                decoding(PfIoctl.DIOCGETSRCNODES, () -> {
                    for (int i = 0; i < n; i++) {
                        tally.add(buf, i * codec.size());
                    }
                    return null;
                });
                return tally.result(bound);
            }
        }
        throw PfIoctlException.busy("DIOCGETSRCNODES", busyAttempts + 8);
    }

    // ---- per-address table counters: DIOCRGETASTATS per named table, pfctl's size protocol ----

    /**
     * Refuse more entries than this in one table (PF_LIMIT_TABLE_ENTRIES is 200,000 by default): the
     * buffer is sized by the kernel's count (262,144 × 160 bytes = 40 MiB).
     */
    static final int MAX_TABLE_ADDRESSES = 1 << 18;
    /** pfctl's first buffer (grow_buffer(): at least 64 entries). */
    static final int INITIAL_TABLE_ADDRESSES = 64;

    private final Map<TableKey, Integer> lastAddressCount = new HashMap<>();

    /**
     * The entries and counters of each table, as {@code pfctl -t NAME -T show -v} reads them: ask with
     * a buffer; pfr_get_astats() copies nothing and reports the count when the table has more
     * entries, so ask again with that many (and a little more: entries may be added in between).
     * ESRCH (no such active table) is a table not found, not an error.
     */
    public List<TableAddresses> readTableAddresses(List<TableKey> tables)
            throws PfIoctlException {
        List<TableAddresses> out = new ArrayList<>(tables.size());
        for (TableKey t : tables) {
            out.add(tableAddresses(t));
        }
        return out;
    }

    private TableAddresses tableAddresses(TableKey table) throws PfIoctlException {
        CStruct s = abi.struct("pfioc_table");
        PfrAstats codec = abi.astats();
        int capacity = Math.max(INITIAL_TABLE_ADDRESSES, lastAddressCount.getOrDefault(table, 0));
        for (int attempt = 0; attempt < busyAttempts + 2; attempt++) {
            ByteBuffer b = arg(PfIoctl.DIOCRGETASTATS);
            NativeBytes.putCString(b, s.offset("pfrio_table", "pfrt_anchor"), PATH_MAX, table.anchor());
            NativeBytes.putCString(b, s.offset("pfrio_table", "pfrt_name"), PfConstants.PF_TABLE_NAME_SIZE, table.name());
            b.putInt(s.offset("pfrio_esize"), codec.size());
            b.putInt(s.offset("pfrio_size"), capacity);
            ByteBuffer buf = NativeBytes.allocate(codec.size() * capacity);
            int errno = call(PfIoctl.DIOCRGETASTATS, b, new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"), buf));
            if (errno == Errno.ESRCH) {
                lastAddressCount.remove(table);
                return TableAddresses.notFound(table);
            }
            if (errno != 0) {
                throw PfIoctlException.of("DIOCRGETASTATS", errno, abi.release());
            }
            int n = b.getInt(s.offset("pfrio_size"));
            int esize = b.getInt(s.offset("pfrio_esize"));
            if (esize != codec.size()) {
                throw PfIoctlException.abiMismatch("DIOCRGETASTATS", 0, abi.release(),
                        "the kernel changed pfrio_esize from " + codec.size() + " to " + esize);
            }
            if (n < 0 || n > MAX_TABLE_ADDRESSES) {
                throw PfIoctlException.malformed("DIOCRGETASTATS", "pfrio_size " + n + " of table <" + table + "> outside 0.."
                        + MAX_TABLE_ADDRESSES);
            }
            if (n <= capacity) {
                List<AddressCounters> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int base = i * codec.size();
                    list.add(decoding(PfIoctl.DIOCRGETASTATS, () -> codec.decode(buf, base)));
                }
                lastAddressCount.put(table, n);
                return new TableAddresses(table, true, list);
            }
            capacity = Math.min(MAX_TABLE_ADDRESSES, n + n / 8 + 4);
        }
        throw PfIoctlException.busy("DIOCRGETASTATS", busyAttempts + 2);
    }

    // ---- pfsync: one sysctl, not an ioctl ----

    /**
     * {@code sysctl net.inet.pfsync.stats}, as netstat's pfsync_stats() asks it. Empty when the kernel
     * answers ENOPROTOOPT: it was built without pfsync (GENERIC has it, so the statistics answer even
     * when no pfsync interface exists; whether pfsync is configured is the reader's question).
     */
    public Optional<PfsyncStats> readPfsync() throws PfIoctlException {
        Pfsyncstats codec = abi.pfsync();
        SysctlCall call = new SysctlCall(Pfsyncstats.NAME, Pfsyncstats.mib(), NativeBytes.allocate(codec.size()));
        int errno = device.sysctl(call);
        if (errno == Errno.ENOPROTOOPT) {
            return Optional.empty();
        }
        if (errno == Errno.ENOMEM) {
            // sysctl_rdstruct(): the kernel's struct is larger than the release's
            throw PfIoctlException.abiMismatch(Pfsyncstats.NAME, errno, abi.release(),
                    "the kernel refused a " + codec.size() + "-byte struct pfsyncstats buffer (ENOMEM)");
        }
        if (errno != 0) {
            throw PfIoctlException.of(Pfsyncstats.NAME, errno, abi.release());
        }
        if (call.oldLength() != codec.size()) {
            throw PfIoctlException.abiMismatch(Pfsyncstats.NAME, 0, abi.release(),
                    "the kernel wrote " + call.oldLength() + " bytes of struct pfsyncstats, the release has " + codec.size());
        }
        return Optional.of(codec.decode(call.old()));
    }

    // ---- queues: ticket from DIOCGETQUEUES, one DIOCGETQSTATS per queue ----

    public List<QueueStats> readQueues() throws PfIoctlException {
        CStruct pq = abi.struct("pfioc_queue");
        CStruct qs = abi.struct("pfioc_qstats");
        QueueCodec codec = abi.queue();
        for (int attempt = 0; attempt < busyAttempts; attempt++) {
            ByteBuffer q = arg(PfIoctl.DIOCGETQUEUES);
            check(PfIoctl.DIOCGETQUEUES, q);
            long ticket = NativeBytes.u32(q, pq.offset("ticket"));
            long n = NativeBytes.u32(q, pq.offset("nr"));
            if (n > 1 << 16) {
                throw PfIoctlException.malformed("DIOCGETQUEUES", n + " queues");
            }
            List<QueueStats> out = new ArrayList<>((int) n);
            boolean changed = false;
            for (int i = 0; i < n && !changed; i++) {
                ByteBuffer b = arg(PfIoctl.DIOCGETQSTATS);
                NativeBytes.putU32(b, qs.offset("ticket"), ticket);
                NativeBytes.putU32(b, qs.offset("nr"), i);
                ByteBuffer stats = NativeBytes.allocate(codec.statsBufferSize());
                b.putInt(qs.offset("nbytes"), codec.statsBufferSize());
                int errno = call(PfIoctl.DIOCGETQSTATS, b, new IoctlCall.Pointee("buf", qs.offset("buf"), stats));
                if (errno == Errno.EBUSY) {
                    changed = true;     // stale ticket: the queues were reloaded
                } else if (errno == Errno.EINVAL) {
                    // The request number is the same in every release, but the kernel refuses a
                    // statistics buffer smaller than its own hfsc_class_stats: another release.
                    throw PfIoctlException.abiMismatch("DIOCGETQSTATS", Errno.EINVAL, abi.release(),
                            "the kernel refused a " + codec.statsBufferSize() + "-byte statistics buffer (EINVAL)");
                } else if (errno != 0) {
                    throw PfIoctlException.of("DIOCGETQSTATS", errno, abi.release());
                } else {
                    int nbytes = b.getInt(qs.offset("nbytes"));
                    if (nbytes > 0 && nbytes != codec.hfscSize() && nbytes != codec.fqcodelSize()) {
                        throw PfIoctlException.abiMismatch("DIOCGETQSTATS", 0, abi.release(),
                                "the kernel wrote " + nbytes + " bytes of queue statistics, the " + abi.release().version()
                                + " layouts have " + codec.hfscSize() + " (hfsc_class_stats) or " + codec.fqcodelSize()
                                + " (fqcodel_stats)");
                    }
                    out.add(decoding(PfIoctl.DIOCGETQSTATS, () -> codec.decode(b, stats, nbytes)));
                }
            }
            if (!changed) {
                return out;
            }
        }
        throw PfIoctlException.busy("DIOCGETQSTATS", busyAttempts);
    }
}
