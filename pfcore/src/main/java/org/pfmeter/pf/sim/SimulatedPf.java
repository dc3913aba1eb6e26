package org.pfmeter.pf.sim;

import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.abi.PfiKif;
import org.pfmeter.pf.abi.PfrTstats;
import org.pfmeter.pf.abi.QueueCodec;
import org.pfmeter.pf.abi.SysctlCall;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.PfsyncStats;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.Timeouts;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * A software pf that answers the same ioctls on the same buffers with the bytes an OpenBSD kernel
 * would write: tickets from one counter, ENOENT at (and after) the end of a rule walk, EBUSY for a
 * walk whose ruleset was replaced, DIOCIGETIFACES' truncation rule, DIOCRGETTSTATS' size query,
 * element-size checks (ENODEV), index checks (EINVAL), unknown request numbers (ENOTTY by default,
 * see {@link SimConfig#unknownRequestErrno()}). It behaves as one descriptor opened read-only, as
 * pfmeter opens /dev/pf: DIOCGETRULE with PF_GET_CLR_CNTR answers EACCES, and at most 512 rule walks
 * may be open on it (DIOCGETRULES then answers EBUSY) until DIOCXEND or {@link #close()}.
 *
 * <pre>
 * SimulatedPf pf = new SimulatedPf(SimConfig.defaults(), SimClock.manual(start));
 * PfReader reader = new PfReader(pf, AbiRelease.V8_0, pf.clock());
 * pf.advance(Duration.ofHours(1));
 * PfSnapshot s = reader.poll();
 * pf.inject(Fault.RULESET_RELOAD);
 * pf.schedule(FaultSchedule.parse("eacces@2h+5m"));
 * GroundTruth truth = pf.groundTruth();
 * </pre>
 *
 * <p>Traffic accrues with the {@link SimClock}: every ioctl, {@link #groundTruth()} and
 * {@link #inject} first bring the simulated kernel to the clock's current whole second, applying
 * scheduled faults at their own seconds on the way. Counters are closed-form functions of simulated
 * time (see {@link TrafficModel}), so what a reader sees depends only on the seed, the faults and the
 * times it asks, never on how often it asks; a month of simulated time costs one evaluation.
 *
 * <p>Thread-safe: one call at a time, as the kernel's pfioctl_rw lock serialises them.
 */
public final class SimulatedPf implements PfDevice {

    private static final int PF_LIMIT_MAX = PfConstants.PF_LIMIT_MAX;
    private static final int PFTM_MAX = PfConstants.PFTM_MAX;
    private static final int PFR_FLAG_ALLMASK = 0x7f;
    private static final int PFR_FLAG_USERIOCTL = 0x1000_0000;
    /** A DIOCIGETIFACES capacity whose kernel buffer mallocarray() cannot get (M_CANFAIL): EINVAL. */
    private static final int MAX_KIF_ALLOCATION = 1 << 20;

    private final SimConfig config;
    private final SimClock clock;
    private final SimKernel kernel;
    private final SimLimiters limiters;
    private final SimTableAddresses addresses;
    private final SimTableTruth tableTruth;
    private final Map<AbiRelease, RuleEncoder> encoders = new EnumMap<>(AbiRelease.class);
    private final SplittableRandom junk;
    private final PriorityQueue<Event> schedule = new PriorityQueue<>();
    private long scheduled;

    private record Event(long at, long seq, Fault fault, boolean start) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    public SimulatedPf(SimConfig config, SimClock clock) {
        this.config = config;
        this.clock = clock;
        this.kernel = new SimKernel(config, clock.instant().getEpochSecond());
        this.limiters = new SimLimiters(kernel);
        this.addresses = new SimTableAddresses(kernel);
        this.tableTruth = new SimTableTruth(kernel);
        this.junk = new SplittableRandom(config.seed() ^ 0x6a756e6bL);
    }

    public SimConfig config() {
        return config;
    }

    /** The simulated time; traffic accrues as it advances. */
    public SimClock clock() {
        return clock;
    }

    /** Injects a fault now (see {@link Fault} for what each does). */
    public synchronized void inject(Fault fault) {
        sync();
        apply(fault, true, kernel.now());
    }

    /**
     * Ends a lasting fault (BUSY_ALWAYS, EACCES, ABI_MISMATCH, STATE_RAMP) or cancels a BUSY_RULE_WALK
     * no walk has met yet. The other faults happen at an instant: clearing them does nothing.
     */
    public synchronized void clear(Fault fault) {
        sync();
        apply(fault, false, kernel.now());
    }

    /**
     * Plans faults at simulated offsets from the simulator's start (see {@link FaultSchedule}). Each
     * happens at exactly its second, before any later read, however rarely the simulator is asked.
     */
    public synchronized void schedule(FaultSchedule faults) {
        for (FaultSchedule.Entry e : faults.entries()) {
            long at = e.at().getSeconds();
            schedule.add(new Event(at, scheduled++, e.fault(), true));
            e.duration().ifPresent(d -> schedule.add(new Event(at + d.getSeconds(), scheduled++, e.fault(), false)));
        }
    }

    /** The ground-truth ledger up to the current simulated time. */
    public synchronized GroundTruth groundTruth() {
        sync();
        return kernel.groundTruth();
    }

    /**
     * The source tracking nodes a reader must find now (ground truth: grouped by the topology's own
     * rule, not by resolving rule numbers), with the reader's bound and top N.
     */
    public synchronized org.pfmeter.pf.model.SourceNodes sourceNodeTruth(long bound, int top) {
        sync();
        return kernel.sourceNodes.truth(kernel.frame(), kernel.epoch(kernel.now()) - kernel.bootEpoch, bound, top);
    }

    /**
     * Ground truth of the limiters now: the state limiters, and the source limiters with their
     * address entries counted and the {@code top} holding the most states, as a perfect reader keeping
     * {@code top} would report them. Empty on a 7.8 kernel, which has no limiters.
     */
    public synchronized LimiterTruth limiterTruth(int top) {
        sync();
        if (!config.kernelRelease().hasLimiters()) {
            return new LimiterTruth(List.of(), List.of());
        }
        return new LimiterTruth(limiters.stateLimiters(), limiters.sourceLimiters(top));
    }

    /** See {@link #limiterTruth(int)}. */
    public record LimiterTruth(List<org.pfmeter.pf.model.StateLimiter> stateLimiters,
            List<org.pfmeter.pf.model.SourceLimiter> sourceLimiters) {
    }

    /** What the state table holds now, aggregated from the states' values (DIOCGETSTATES' ground truth). */
    public synchronized StatesGroundTruth statesGroundTruth() {
        sync();
        return kernel.states().truth();
    }

    /** Convenience for manual clocks: advance the clock by {@code d}. */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /** The simulated host's boot time (its pf was enabled {@code since} seconds of uptime later). */
    @Override
    public java.util.Optional<java.time.Instant> bootTime() {
        return java.util.Optional.of(java.time.Instant.ofEpochSecond(kernel.bootEpoch));
    }

    @Override
    public String kernelRelease() {
        return config.kernelRelease().version();
    }

    @Override
    public String describe() {
        return "simulated pf (OpenBSD " + config.kernelRelease().version() + ", seed " + config.seed() + ", "
                + config.scale().name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public synchronized void close() {
        kernel.tickets.clear();             // pfclose(): the descriptor's transactions go with it
    }

    // =====================================================================================
    // time and faults

    private void sync() {
        long tau = kernel.tauOf(clock.instant().getEpochSecond());
        while (!schedule.isEmpty() && schedule.peek().at() <= tau) {
            Event e = schedule.poll();
            apply(e.fault(), e.start(), Math.max(e.at(), kernel.now()));
        }
        kernel.advanceTo(tau);
    }

    private void apply(Fault fault, boolean start, long at) {
        kernel.advanceTo(at);
        switch (fault) {
            case BUSY_RULE_WALK -> kernel.busyNextWalk = start;
            case BUSY_ALWAYS -> kernel.busyAlways = start;
            case EACCES -> kernel.eacces = start;
            case ABI_MISMATCH -> kernel.abiMismatch = start;
            case STATE_RAMP -> {
                if (start) {
                    kernel.startRamp(at);
                } else {
                    kernel.endRamp(at);
                }
            }
            case RULESET_RELOAD -> {
                if (start) {
                    kernel.reload(at, false);
                }
            }
            case ZERO_COUNTERS -> {
                if (start) {
                    kernel.zeroCounters(at);
                }
            }
            case INTERFACE_VANISH -> {
                if (start) {
                    kernel.vanish(at);
                }
            }
            case INTERFACE_APPEAR -> {
                if (start) {
                    kernel.appear(at);
                }
            }
            case TABLE_FLUSH -> {
                if (start) {
                    addresses.flush(at);
                }
            }
            case ADDRESS_READD -> {
                if (start) {
                    addresses.readd(at);
                }
            }
            case PF_RESTART -> {
                if (start) {
                    limiters.restart();
                    kernel.restart(at);
                }
            }
        }
    }

    // =====================================================================================
    // the device

    @Override
    public synchronized int ioctl(IoctlCall call) {
        sync();
        if (kernel.eacces) {
            return Errno.EACCES;
        }
        PfAbi abi = kernel.release().abi();
        Optional<PfIoctl> io = abi.ioctl(call.request());
        if (io.isEmpty()) {
            return config.unknownRequestErrno();
        }
        // sys_ioctl() copies exactly IOCPARM_LEN(request) bytes in and out
        int size = io.get() == PfIoctl.DIOCXEND ? 4 : abi.struct(io.get().argument()).size();
        ByteBuffer a = call.argument().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (a.capacity() != size) {
            return Errno.EFAULT;
        }
        return switch (io.get()) {
            case DIOCGETSTATUS -> getStatus(abi, a);
            case DIOCGETSYNFLWATS -> getSynflwats(abi, a);
            case DIOCGETLIMIT -> getLimit(abi, a);
            case DIOCGETTIMEOUT -> getTimeout(abi, a);
            case DIOCIGETIFACES -> getIfaces(abi, a, call);
            case DIOCGETRULES -> getRules(abi, a);
            case DIOCGETRULE -> getRule(abi, a);
            case DIOCXEND -> xend(a);
            case DIOCGETRULESETS -> getRulesets(abi, a);
            case DIOCGETRULESET -> getRuleset(abi, a);
            case DIOCRGETTSTATS -> getTstats(abi, a, call);
            case DIOCGETQUEUES -> getQueues(abi, a);
            case DIOCGETQSTATS -> getQstats(abi, a, call);
            case DIOCGETSRCNODES -> kernel.sourceNodes.answer(abi, a, call, kernel.frame(), kernel.epoch(kernel.now()) - kernel.bootEpoch);
            case DIOCGETSTATELIM, DIOCGETNSTATELIM, DIOCGETSOURCELIM, DIOCGETNSOURCELIM, DIOCGETSOURCE, DIOCGETNSOURCE ->
                    limiters.ioctl(abi, io.get(), a, call);
            case DIOCGETSTATES -> kernel.states().getStates(abi, a, call);
            case DIOCRGETASTATS -> addresses.getAstats(abi, a, call);
        };
    }

    /** sysctl(2): the pfsync statistics (net_sysctl() answers ENOPROTOOPT for anything else pfmeter could ask). */
    @Override
    public synchronized int sysctl(SysctlCall call) {
        sync();
        return SimPfsync.sysctl(kernel, call);
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void zero(ByteBuffer b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b.put(off + i, (byte) 0);
        }
    }

    /** A char[] argument as the kernel reads it after forcing its last byte to NUL. */
    private static String path(ByteBuffer b, int off, int capacity) {
        int n = 0;
        while (n < capacity - 1 && b.get(off + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        b.get(off, bytes);
        return org.pfmeter.pf.abi.KernelStrings.decode(bytes, 0, n);
    }

    /** pf_find_ruleset(): leading slashes are ignored, "" is the main ruleset. */
    private Topology.RulesetDef ruleset(String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return kernel.topo.ruleset(path.substring(i));
    }

    private int getStatus(PfAbi abi, ByteBuffer a) {
        Status s = kernel.status();
        zero(a, 0, a.capacity());
        abi.status().encode(s, a);
        return 0;
    }

    private int getSynflwats(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_synflwats");
        NativeBytes.putU32(a, s.offset("hiwat"), kernel.hiwat);
        NativeBytes.putU32(a, s.offset("lowat"), kernel.lowat);
        return 0;
    }

    private int getLimit(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_limit");
        int index = a.getInt(s.offset("index"));
        if (index < 0 || index >= PF_LIMIT_MAX) {
            return Errno.EINVAL;
        }
        NativeBytes.putU32(a, s.offset("limit"), kernel.limits[index]);
        return 0;
    }

    private int getTimeout(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_tm");
        int timeout = a.getInt(s.offset("timeout"));
        if (timeout < 0 || timeout >= PFTM_MAX) {
            return Errno.EINVAL;
        }
        a.putInt(s.offset("seconds"), (int) kernel.timeouts[timeout]);
        return 0;
    }

    // ---- DIOCIGETIFACES: pfi_get_ifaces() ----

    /** pfi_skip_if(): the filter is an exact name, or a group name (not ending in a digit) for its members. */
    private static boolean skipIf(String filter, SimKernel.Kif k) {
        if (filter.isEmpty() || k.name.equals(filter)) {
            return false;
        }
        int n = filter.length();
        if (n >= IFNAMSIZ || Character.isDigit(filter.charAt(n - 1))) {
            return true;
        }
        return k.group || !k.groups.contains(filter);
    }

    private int getIfaces(PfAbi abi, ByteBuffer a, IoctlCall call) {
        CStruct s = abi.struct("pfioc_iface");
        PfiKif codec = abi.kif();
        if (a.getInt(s.offset("pfiio_esize")) != codec.size()) {
            return Errno.ENODEV;
        }
        int capacity = a.getInt(s.offset("pfiio_size"));
        if (capacity < 0 || capacity > MAX_KIF_ALLOCATION) {
            return Errno.EINVAL;                     // mallocarray(…, M_CANFAIL) fails
        }
        String filter = path(a, s.offset("pfiio_name"), IFNAMSIZ);
        // the kernel counts up to the capacity and stops: it fills capacity - 1 entries and reports
        // the capacity when the list does not fit, then copies out that many entries
        List<SimKernel.Kif> copied = new ArrayList<>();
        int n = 0;
        for (SimKernel.Kif k : kernel.kifs()) {
            if (skipIf(filter, k)) {
                continue;
            }
            if (capacity <= ++n) {
                break;
            }
            if (k.tzero == 0) {
                k.tzero = kernel.epoch(kernel.now());
            }
            copied.add(k);
        }
        int bytes = n * codec.size();
        if (bytes > 0) {
            Optional<ByteBuffer> buf = call.pointee(s.offset("pfiio_buffer"));
            if (buf.isEmpty() || buf.get().capacity() < bytes) {
                return Errno.EFAULT;
            }
            ByteBuffer out = le(buf.get());
            for (int i = 0; i < copied.size(); i++) {
                SimKernel.Kif k = copied.get(i);
                int at = i * codec.size();
                zero(out, at, codec.size());
                codec.encode(kernel.interfaceModel(k), kernel.counters(k), k.group ? 0 : k.pointer, k.group ? k.pointer : 0, out, at);
            }
            for (int i = copied.size(); i < n; i++) {
                // the entry past the filled ones is whatever the kernel's buffer held
                for (int j = 0; j < codec.size(); j += 8) {
                    out.putLong(i * codec.size() + j, junk.nextLong());
                }
            }
        }
        a.putInt(s.offset("pfiio_size"), n);
        return 0;
    }

    // ---- the rule walk ----

    private int getRules(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_rule");
        Topology.RulesetDef rs = ruleset(path(a, s.offset("anchor"), PATH_MAX));
        if (rs == null) {
            return Errno.EINVAL;
        }
        long[] ticket = new long[1];
        if (kernel.openTicket(rs.index, ticket) == null) {
            return Errno.EBUSY;                      // PF_ANCHOR_STACK_MAX * 8 walks open on this descriptor
        }
        a.put(s.offset("anchor") + PATH_MAX - 1, (byte) 0);
        NativeBytes.putU32(a, s.offset("nr"), rs.ruleCount);    // last rule's nr + 1
        NativeBytes.putU32(a, s.offset("ticket"), ticket[0]);
        return 0;
    }

    private int getRule(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_rule");
        if (a.getInt(s.offset("action")) == PfConstants.PF_GET_CLR_CNTR) {
            return Errno.EACCES;                     // clearing needs FWRITE; this descriptor is read-only
        }
        SimKernel.Ticket t = kernel.tickets.get(NativeBytes.u32(a, s.offset("ticket")));
        if (t == null) {
            return Errno.ENXIO;
        }
        if (kernel.busyAlways || t.version != kernel.versions[t.ruleset]) {
            return Errno.EBUSY;
        }
        if (t.busyAt >= 0 && t.next >= t.busyAt) {
            return Errno.EBUSY;                      // BUSY_RULE_WALK: as if the ruleset changed under this walk
        }
        Topology.RulesetDef rs = kernel.topo.rulesets.get(t.ruleset);
        if (t.next >= rs.ruleCount) {
            return Errno.ENOENT;                     // and again on every later call until DIOCXEND
        }
        int i = rs.firstRule + t.next;
        RuleCounters c = kernel.rule(i);
        encoder(abi).encode(kernel.topo, i, c, kernel.loaderPid, a);
        kernel.sourceNodes.encodeRule(abi, i, a);
        kernel.returned(i, c);
        t.next++;
        return 0;
    }

    private RuleEncoder encoder(PfAbi abi) {
        return encoders.computeIfAbsent(abi.release(), r -> new RuleEncoder(abi));
    }

    private int xend(ByteBuffer a) {
        return kernel.tickets.remove(NativeBytes.u32(a, 0)) != null ? 0 : Errno.ENXIO;
    }

    private int getRulesets(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_ruleset");
        Topology.RulesetDef rs = ruleset(path(a, s.offset("path"), PATH_MAX));
        if (rs == null) {
            return Errno.EINVAL;
        }
        a.put(s.offset("path") + PATH_MAX - 1, (byte) 0);
        NativeBytes.putU32(a, s.offset("nr"), rs.children.size());
        return 0;
    }

    private int getRuleset(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_ruleset");
        Topology.RulesetDef rs = ruleset(path(a, s.offset("path"), PATH_MAX));
        if (rs == null) {
            return Errno.EINVAL;
        }
        long nr = NativeBytes.u32(a, s.offset("nr"));
        if (nr >= rs.children.size()) {
            return Errno.EBUSY;                      // no such child: the name stays empty
        }
        String name = kernel.topo.rulesets.get(rs.children.get((int) nr)).name;
        a.put(s.offset("path") + PATH_MAX - 1, (byte) 0);
        byte[] bytes = org.pfmeter.pf.abi.KernelStrings.encode(name);
        a.put(s.offset("name"), bytes);             // strlcpy(): the name and its NUL
        a.put(s.offset("name") + bytes.length, (byte) 0);
        return 0;
    }

    // ---- tables: pfr_get_tstats() ----

    private int getTstats(PfAbi abi, ByteBuffer a, IoctlCall call) {
        CStruct s = abi.struct("pfioc_table");
        PfrTstats codec = abi.tstats();
        if (a.getInt(s.offset("pfrio_esize")) != codec.size()) {
            return Errno.ENODEV;
        }
        int flags = a.getInt(s.offset("pfrio_flags")) | PFR_FLAG_USERIOCTL;
        if ((flags & ~PfConstants.PFR_FLAG_ALLRSETS & PFR_FLAG_ALLMASK) != 0) {
            return Errno.EINVAL;
        }
        // pfr_fix_anchor(): strip leading slashes; the path must be NUL-terminated and NUL-padded
        int anchorAt = s.offset("pfrio_table", "pfrt_anchor");
        byte[] anchor = new byte[PATH_MAX];
        a.get(anchorAt, anchor);
        String path = PfrAnchor.fix(anchor);
        if (path == null) {
            return Errno.EINVAL;
        }
        boolean all = (flags & PfConstants.PFR_FLAG_ALLRSETS) != 0;
        if (!all && !path.isEmpty() && kernel.topo.ruleset(path) == null) {
            return Errno.ENOENT;                     // pfr_table_count() < 0
        }
        List<Integer> tables = kernel.tables(path, all);
        int n = tables.size();
        int sizeAt = s.offset("pfrio_size");
        a.put(anchorAt, anchor);
        if (n > a.getInt(sizeAt)) {
            a.putInt(sizeAt, n);                     // a size query: nothing copied, the count returned
            return 0;
        }
        if (n > 0) {
            Optional<ByteBuffer> buf = call.pointee(s.offset("pfrio_buffer"));
            if (buf.isEmpty() || buf.get().capacity() < n * codec.size()) {
                return Errno.EFAULT;
            }
            ByteBuffer out = le(buf.get());
            for (int i = 0; i < n; i++) {
                zero(out, i * codec.size(), codec.size());
                TableStats t = kernel.table(tables.get(i));
                codec.encode(t, out, i * codec.size());
                tableTruth.returned(tables.get(i), t);
            }
        }
        a.putInt(sizeAt, n);
        return 0;
    }

    // ---- queues ----

    private int getQueues(PfAbi abi, ByteBuffer a) {
        CStruct s = abi.struct("pfioc_queue");
        NativeBytes.putU32(a, s.offset("ticket"), kernel.versions[0]);    // the main ruleset's version
        NativeBytes.putU32(a, s.offset("nr"), kernel.topo.queues.size());
        return 0;
    }

    private int getQstats(PfAbi abi, ByteBuffer a, IoctlCall call) {
        CStruct s = abi.struct("pfioc_qstats");
        QueueCodec codec = abi.queue();
        if (NativeBytes.u32(a, s.offset("ticket")) != kernel.versions[0]) {
            return Errno.EBUSY;
        }
        long nr = NativeBytes.u32(a, s.offset("nr"));
        if (nr >= kernel.topo.queues.size()) {
            return Errno.EBUSY;
        }
        QueueStats q = kernel.queue((int) nr);
        Topology.QueueDef def = kernel.topo.queues.get((int) nr);
        boolean fq = q.kind() == QueueStats.Kind.FQ_CODEL;
        int need = fq ? codec.fqcodelSize() : codec.hfscSize();
        if (a.getInt(s.offset("nbytes")) < need) {
            return Errno.EINVAL;
        }
        Optional<ByteBuffer> buf = call.pointee(s.offset("buf"));
        if (buf.isEmpty() || buf.get().capacity() < need) {
            return Errno.EFAULT;
        }
        ByteBuffer stats = le(buf.get());
        zero(a, s.offset("queue"), s.field("queue").size());
        zero(stats, 0, need);
        int nbytes = codec.encode(q, a, stats);
        CStruct spec = abi.struct("pf_queuespec");
        int qs = s.offset("queue");
        if (def.realtime() > 0) {
            NativeBytes.putU64(a, qs + spec.offset("realtime", "m2", "absolute"), def.realtime());
        }
        if (fq) {
            // the spec holds the configured flows; the statistics the active ones (fqcodel_pf_qstats())
            NativeBytes.putU32(a, qs + spec.offset("flowqueue", "flows"), def.flows());
            NativeBytes.putU32(a, qs + spec.offset("flowqueue", "quantum"), 1514);
            CStruct f = abi.struct("fqcodel_stats");
            NativeBytes.putU32(stats, f.offset("target"), 5_000);        // 5 ms in microseconds
            NativeBytes.putU32(stats, f.offset("interval"), 100_000);    // 100 ms
            NativeBytes.putU64(stats, f.offset("delaysum"), q.flows() * 850);
            NativeBytes.putU64(stats, f.offset("delaysumsq"), q.flows() * 850L * 850L * 6 / 5);
        } else {
            CStruct h = abi.struct("hfsc_class_stats");
            NativeBytes.putU32(stats, h.offset("class_id"), q.qid() - 1);
            NativeBytes.putU32(stats, h.offset("class_handle"), q.qid());
            putUnsigned(stats, h, "fsc", def.bandwidth());
            putUnsigned(stats, h, "rsc", def.realtime());
            NativeBytes.putU64(stats, h.offset("total"), q.transmittedBytes());
            NativeBytes.putU64(stats, h.offset("cumul"), q.transmittedBytes());
            NativeBytes.putU32(stats, h.offset("period"), q.transmittedPackets() / 64);
            NativeBytes.putU64(stats, h.offset("cur_time"), (kernel.epoch(kernel.now()) - kernel.bootEpoch) * 1_000_000_000L);
            NativeBytes.putU32(stats, h.offset("machclk_freq"), 1_000_000_000L);
        }
        a.putInt(s.offset("nbytes"), nbytes);
        return 0;
    }

    /** A service curve's m2 in bits per second: u_int before hfsc.h 1.15, u_int64_t since. */
    private static void putUnsigned(ByteBuffer b, CStruct stats, String curve, long m2) {
        CStruct.Field f = ((CStruct) stats.field(curve).type()).field("m2");
        int at = stats.offset(curve) + f.offset();
        if (f.size() == 8) {
            NativeBytes.putU64(b, at, m2);
        } else {
            NativeBytes.putU32(b, at, Math.min(m2, 0xffff_ffffL));
        }
    }

    // =====================================================================================
    // what a reader should see (tests)

    /** The values a perfect reader decodes from the simulator now, subsystem by subsystem. */
    record Expected(Status status, Limits limits, Timeouts timeouts, List<InterfaceCounters> interfaces, Rules rules,
            List<TableStats> tables, List<QueueStats> queues) {
    }

    /**
     * What {@code PfReader.poll()} should return at the current simulated time, computed from the
     * simulator's own state without going through the ioctls (and without their side effects: no
     * ticket, no kif time stamp, nothing booked as returned).
     */
    synchronized Expected expected() {
        sync();
        List<SimKernel.Kif> kifs = kernel.kifs();
        List<InterfaceCounters> interfaces = new ArrayList<>();
        for (SimKernel.Kif k : kifs) {
            InterfaceCounters m = kernel.interfaceModel(k);
            if (k.group) {
                List<String> members = new ArrayList<>();
                TrafficCounters sum = m.counters();
                for (SimKernel.Kif member : kifs) {
                    if (!member.group && !skipIf(k.name, member)) {
                        members.add(member.name);
                        sum = sum.plus(kernel.counters(member));
                    }
                }
                m = new InterfaceCounters(m.name(), true, members, m.flags(), m.cleared(), m.states(), m.rules(), sum);
            }
            interfaces.add(m);
        }
        List<String> anchors = new ArrayList<>();
        depthFirst(kernel.topo.rulesets.get(0), anchors);
        List<RuleCounters> rules = new ArrayList<>();
        for (String path : anchors) {
            Topology.RulesetDef rs = kernel.topo.ruleset(path);
            for (int i = rs.firstRule; i < rs.firstRule + rs.ruleCount; i++) {
                rules.add(kernel.rule(i));
            }
        }
        List<TableStats> tables = new ArrayList<>();
        for (int i : kernel.tables("", true)) {
            tables.add(kernel.table(i));
        }
        List<QueueStats> queues = new ArrayList<>();
        for (int q = 0; q < kernel.topo.queues.size(); q++) {
            queues.add(kernel.queue(q));
        }
        return new Expected(kernel.status(), kernel.limitsModel(), kernel.timeoutsModel(), interfaces,
                new Rules(anchors, rules, PfProtocol.labels(rules)), tables, queues);
    }

    private void depthFirst(Topology.RulesetDef rs, List<String> out) {
        out.add(rs.path);
        for (int c : rs.children) {
            depthFirst(kernel.topo.rulesets.get(c), out);
        }
    }

    /**
     * Per-address ground truth of the tables with the {@code counters} flag: per table and entry, what
     * the traffic model counted on it since the start and what resets discarded before any
     * DIOCRGETASTATS returned it (counts summed over block, match and pass). A reset-safe accountant of
     * the entries must arrive at exactly {@link GroundTruth.Totals#observable()} per entry.
     */
    public synchronized Map<TableKey, Map<TableAddress, GroundTruth.Totals>> addressTruth() {
        sync();
        return addresses.truth();
    }

    /**
     * Ground truth of the tables' own counters (DIOCRGETTSTATS), per table: packets and bytes by
     * direction summed over block, match, pass and xpass, what pf counted since the start and what
     * resets ({@code pfctl -T zero}, a pf restart) discarded before any DIOCRGETTSTATS returned it.
     * A reset-safe accountant of the tables must arrive at exactly {@link GroundTruth.Totals#observable()}.
     */
    public synchronized Map<TableKey, GroundTruth.Totals> tableTruth() {
        sync();
        return tableTruth.truth();
    }

    /** Table {@code i}'s counters {@code t} were returned to a reader by another platform's read (SimKernelView). */
    void tableReturned(int i, TableStats t) {
        tableTruth.returned(i, t);
    }

    /** {@link #addressTruth()} of one action (block, match or pass: pf counts no xpass on an entry). */
    public synchronized Map<TableKey, Map<TableAddress, GroundTruth.Totals>> addressTruth(TableAction action) {
        sync();
        return addresses.truth(action);
    }

    /** {@link #tableTruth()} of one action: {@code pfrts_packets[dir][op]} and {@code pfrts_bytes[dir][op]} of that op. */
    public synchronized Map<TableKey, GroundTruth.Totals> tableTruth(TableAction action) {
        sync();
        return tableTruth.truth(action);
    }

    /** The entries and counters DIOCRGETASTATS reports now for a table (tests), without the ioctl's side effects. */
    synchronized List<AddressCounters> expectedAddresses(String anchor, String name) {
        sync();
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            if (kernel.topo.tables.get(i).anchor().equals(anchor) && kernel.topo.tables.get(i).name().equals(name)) {
                return addresses.stats(i);
            }
        }
        return List.of();
    }

    /** What {@code sysctl net.inet.pfsync.stats} reports now, without going through the sysctl (tests). */
    synchronized PfsyncStats expectedPfsync() {
        sync();
        return SimPfsync.stats(kernel);
    }

    /** The kernel at the clock's current second (faults applied), for {@link SimKernelView}. */
    synchronized <T> T atNow(java.util.function.Function<SimKernel, T> f) {
        sync();
        return f.apply(kernel);
    }

    /** Open get-rule transactions of this descriptor (tests: every walk must end with DIOCXEND). */
    synchronized int openTickets() {
        return kernel.tickets.size();
    }

    /** The simulated kernel's current second since the start (tests). */
    synchronized long simulatedSecond() {
        sync();
        return kernel.now();
    }
}
