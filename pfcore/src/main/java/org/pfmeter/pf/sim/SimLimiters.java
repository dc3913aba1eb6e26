package org.pfmeter.pf.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.InetText;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.SourceEntries;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * The simulated kernel's state and source limiters (pfvar.h 1.548; a 7.8 kernel has none and does
 * not know their requests) and the answers of pf_statelim_get(), pf_sourcelim_get() and
 * pf_source_get() of pf_ioctl.c 1.428, byte for byte.
 *
 * <p>The ruleset configures three state limiters (ids 1, 2 and 7: the id walk must skip gaps) and
 * two source limiters (ids 1 and 4, one IPv4 with {@code inet mask 32}, one IPv6 with
 * {@code inet6 mask 64} and an overload table). Every pass rule that carries traffic names one state
 * limiter (round robin) and every other one also names a source limiter. What the limiters count
 * follows the traffic model in closed form, as every simulated counter does:
 *
 * <ul>
 * <li>attempts = the states their rules created (the rules' states_tot since the simulator started);
 *     hardlimited and ratelimited are fixed small shares of it, admitted the rest;</li>
 * <li>inuse = the states of their rules still alive (created within a rule's state lifetime and
 *     after the last state flush), at most {@code limit}: states outlive a ruleset reload, and
 *     limiters with the same id survive it with their counters (pf_statelim_commit() merges them);</li>
 * <li>a source limiter spreads its rules' states over a fixed population of addresses with
 *     Zipf-like weights; an address has an entry while it holds states; the limiter's counters are
 *     the sums of its addresses'.</li>
 * </ul>
 *
 * A pf restart ({@link Fault#PF_RESTART}: {@code pfctl -F all} commits a ruleset without them, then
 * the reload creates them anew) starts every limiter counter from zero.
 */
final class SimLimiters {

    static final int AF_INET = 2;
    static final int AF_INET6 = 24;
    private static final double HARD_SHARE = 0.003;
    private static final double RATE_SHARE = 0.002;
    private static final double ADDR_SHARE = 0.0005;
    /** States an address entry admits, on average, before it empties and is collected. */
    private static final long STATES_PER_ALLOC = 40;
    /** The guest limiter's limit as a share of its rules' mean states: half the traffic's lowest rate. */
    static final double TIGHT_SHARE = TrafficModel.MIN_RATE / 2;

    private record StateDef(int id, String name, long limit, long rateLimit, long rateSeconds, int[] rules, double hard,
            double rate) {
    }

    /** One address of a source limiter's population, in kernel (pf_source_ioc_cmp) order. */
    private record Address(int af, byte[] addr, double weight) {
    }

    private record SourceDef(int id, String name, long entries, long limit, long rateLimit, long rateSeconds,
            String overload, long hwm, long lwm, long inetPrefix, long inet6Prefix, int[] rules, Address[] population,
            double hard, double rate, double addrLimited) {
    }

    /** What a source limiter's address holds at one second (cumulative counters before offsets). */
    private record SourceValues(long inuse, long admitted, long hardlimited, long ratelimited, long allocs) {
    }

    private final SimKernel kernel;
    private final List<StateDef> states = new ArrayList<>();
    private final List<SourceDef> sources = new ArrayList<>();
    // offsets left by the last restart: per state limiter [admitted, hard, rate]; per source address the same + allocs
    private final long[][] stateOffsets;
    private final long[][][] sourceOffsets;
    private final long[] addrLimitedOffsets;
    private long cachedTau = Long.MIN_VALUE;
    private long[] cachedStates;
    private SourceValues[][] cachedSources;
    private long[] cachedSourceAttempts;

    SimLimiters(SimKernel kernel) {
        this.kernel = kernel;
        Topology t = kernel.topo;
        SplittableRandom rnd = new SplittableRandom(kernel.config.seed() ^ 0x6c696d6974L);
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < t.rules; i++) {
            if (t.action[i] == Topology.PF_PASS && t.flowIface[i] >= 0 && t.anchorCall[i] < 0 && t.cConnections[i] > 0) {
                eligible.add(i);
            }
        }
        boolean large = kernel.config.scale() == SimScale.LARGE;
        int[][] stateRules = split(eligible, 3, 1);
        long[] rate = {0, 500, 50};
        long[] seconds = {0, 10, 5};
        String[] names = {"lan-states", "dmz-states", "guest-states"};
        int[] ids = {1, 2, 7};
        // lan and dmz: 1.25 × their rules' mean states, reached at peaks; guest: a deliberately small
        // guest network, below what its rules hold even at the quietest hour, so it refuses states all day
        double[] share = {1.25, 1.25, TIGHT_SHARE};
        for (int k = 0; k < 3; k++) {
            long limit = limitFor(stateRules[k], share[k]);
            states.add(new StateDef(ids[k], names[k], limit, rate[k], seconds[k], stateRules[k], HARD_SHARE * (k + 1),
                    rate[k] == 0 ? 0 : RATE_SHARE));
        }
        int[][] sourceRules = split(eligible, 2, 2);
        sources.add(new SourceDef(1, "per-client", large ? 5000 : 64, 0, 20, 5, "", 0, 0, 32, 128, sourceRules[0],
                population(rnd, AF_INET, large ? 4000 : 48), HARD_SHARE, RATE_SHARE, ADDR_SHARE));
        sources.add(new SourceDef(4, "per-mailer", large ? 1000 : 16, 0, 0, 0, "abusers", 0, 0, 24, 64, sourceRules[1],
                population(rnd, AF_INET6, large ? 600 : 12), HARD_SHARE * 2, 0, 0));
        // per-address state caps: well above the typical address, reached by the heaviest at peak
        for (int k = 0; k < sources.size(); k++) {
            SourceDef d = sources.get(k);
            long typical = Math.max(1, limitFor(d.rules(), 1.25) / d.population().length);
            long cap = Math.max(8, typical * 4);
            boolean overload = !d.overload().isEmpty();
            sources.set(k, new SourceDef(d.id(), d.name(), d.entries(), cap, d.rateLimit(), d.rateSeconds(), d.overload(),
                    overload ? cap * 3 / 4 : 0, overload ? cap / 2 : 0, d.inetPrefix(), d.inet6Prefix(), d.rules(),
                    d.population(), d.hard(), d.rate(), d.addrLimited()));
        }
        stateOffsets = new long[states.size()][3];
        sourceOffsets = new long[sources.size()][][];
        for (int k = 0; k < sources.size(); k++) {
            sourceOffsets[k] = new long[sources.get(k).population().length][4];
        }
        addrLimitedOffsets = new long[sources.size()];
    }

    /** Every {@code every}-th eligible rule, round robin over {@code n} limiters. */
    private static int[][] split(List<Integer> eligible, int n, int every) {
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            parts.add(new ArrayList<>());
        }
        int j = 0;
        for (int i = 0; i < eligible.size(); i += every) {
            parts.get(j++ % n).add(eligible.get(i));
        }
        int[][] out = new int[n][];
        for (int k = 0; k < n; k++) {
            out[k] = parts.get(k).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /**
     * {@code share} × the states the rules hold at the mean rate: at 1.25 the limit is reached at peaks, as
     * a tight one is; below the traffic model's lowest rate ({@link TrafficModel#MIN_RATE}) it is held all day.
     */
    private long limitFor(int[] rules, double share) {
        double mean = 0;
        for (int i : rules) {
            mean += kernel.topo.cConnections[i] * kernel.topo.lifetime[i];
        }
        return Math.max(share < 1 ? 1 : 16, Math.min(1L << 24, (long) Math.ceil(mean * share)));
    }

    /** {@code n} addresses (documentation prefixes) with Zipf weights assigned in shuffled order, sorted as the kernel's tree. */
    private static Address[] population(SplittableRandom rnd, int af, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = 1 / Math.pow(i + 1, 1.1);
            sum += w[i];
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            double x = w[i];
            w[i] = w[j];
            w[j] = x;
        }
        Address[] a = new Address[n];
        for (int i = 0; i < n; i++) {
            byte[] addr = new byte[16];
            if (af == AF_INET) {
                // 198.18.0.0/15 (benchmarking): 198.18.x.y, x and y from the index
                int host = 1 + i * 7 % 65000 + i / 65000;
                addr[0] = (byte) 198;
                addr[1] = (byte) (18 + (host >>> 16 & 1));
                addr[2] = (byte) (host >>> 8);
                addr[3] = (byte) host;
            } else {
                // 2001:db8:N::/64, masked to the limiter's inet6 mask 64
                addr[0] = 0x20;
                addr[1] = 0x01;
                addr[2] = 0x0d;
                addr[3] = (byte) 0xb8;
                addr[4] = (byte) (i * 13 >>> 8);
                addr[5] = (byte) (i * 13);
                addr[6] = (byte) (i >>> 8);
                addr[7] = (byte) i;
            }
            a[i] = new Address(af, addr, w[i] / sum);
        }
        Arrays.sort(a, Comparator.comparing(Address::addr, Arrays::compareUnsigned));
        return a;
    }

    // =====================================================================================
    // what the limiters hold at the kernel's current second

    /** [attempts, alive] of a set of rules at the kernel's current second. */
    private long[] attemptsAndAlive(int[] rules) {
        Frame f = kernel.frame();
        Topology t = kernel.topo;
        long tau = kernel.now();
        long attempts = 0;
        long alive = 0;
        for (int i : rules) {
            long conn = f.connections[i];
            long floor = (long) (t.cConnections[i] * kernel.effective(t.flowIface[i], t.profile[i],
                    Math.max(tau - t.lifetime[i], kernel.tFlush)));
            attempts += conn;
            alive += conn - Math.min(conn, floor);
        }
        return new long[] {attempts, alive};
    }

    private void refresh() {
        long tau = kernel.now();
        if (tau == cachedTau) {
            return;
        }
        cachedStates = new long[states.size() * 2];
        for (int k = 0; k < states.size(); k++) {
            long[] v = attemptsAndAlive(states.get(k).rules());
            cachedStates[2 * k] = v[0];
            cachedStates[2 * k + 1] = v[1];
        }
        cachedSources = new SourceValues[sources.size()][];
        cachedSourceAttempts = new long[sources.size()];
        for (int k = 0; k < sources.size(); k++) {
            SourceDef d = sources.get(k);
            long[] v = attemptsAndAlive(d.rules());
            cachedSourceAttempts[k] = v[0];
            SourceValues[] per = new SourceValues[d.population().length];
            for (int s = 0; s < per.length; s++) {
                double w = d.population()[s].weight();
                long attempts = (long) (w * v[0]);
                double heavy = Math.min(50, 1 + 4 * w * per.length);   // the heaviest addresses meet the cap more often
                long hard = (long) (attempts * d.hard() * heavy);
                long rate = (long) (attempts * d.rate());
                long admitted = Math.max(0, (long) (attempts * (1 - d.hard() * heavy - d.rate())));
                long inuse = Math.min((long) (w * v[1]), d.limit());
                per[s] = new SourceValues(inuse, admitted, hard, rate, (admitted + STATES_PER_ALLOC - 1) / STATES_PER_ALLOC);
            }
            cachedSources[k] = per;
        }
        cachedTau = tau;
    }

    /** {@code pfctl -F all} and a reload: the limiters are new, their counters start from zero. */
    void restart() {
        refresh();
        for (int k = 0; k < states.size(); k++) {
            long[] c = stateCounters(k, false);
            stateOffsets[k][0] += c[0];
            stateOffsets[k][1] += c[1];
            stateOffsets[k][2] += c[2];
        }
        for (int k = 0; k < sources.size(); k++) {
            SourceValues[] per = cachedSources[k];
            for (int s = 0; s < per.length; s++) {
                sourceOffsets[k][s][0] = per[s].admitted();
                sourceOffsets[k][s][1] = per[s].hardlimited();
                sourceOffsets[k][s][2] = per[s].ratelimited();
                sourceOffsets[k][s][3] = per[s].allocs();
            }
            addrLimitedOffsets[k] = (long) (cachedSourceAttempts[k] * sources.get(k).addrLimited());
        }
        cachedTau = Long.MIN_VALUE;      // the restart flushes the states at this very second
    }

    /** [admitted, hardlimited, ratelimited] of state limiter k, since the last restart (or raw). */
    private long[] stateCounters(int k, boolean sinceRestart) {
        StateDef d = states.get(k);
        long attempts = cachedStates[2 * k];
        long[] c = {(long) (attempts * (1 - d.hard() - d.rate())), (long) (attempts * d.hard()), (long) (attempts * d.rate())};
        if (sinceRestart) {
            for (int i = 0; i < 3; i++) {
                c[i] -= stateOffsets[k][i];
            }
        }
        return c;
    }

    StateLimiter stateLimiter(int k) {
        refresh();
        StateDef d = states.get(k);
        long[] c = stateCounters(k, true);
        return new StateLimiter(d.id(), d.name(), d.limit(), d.rateLimit(), d.rateSeconds(),
                Math.min(cachedStates[2 * k + 1], d.limit()), c[0], c[1], c[2]);
    }

    /** An address entry: the address's values since the last restart; empty while it holds no state. */
    private Optional<SourceEntry> entry(int k, int s) {
        SourceValues v = cachedSources[k][s];
        if (v.inuse() == 0) {
            return Optional.empty();
        }
        long[] off = sourceOffsets[k][s];
        Address a = sources.get(k).population()[s];
        AddressFamily af = a.af() == AF_INET ? AddressFamily.INET : AddressFamily.INET6;
        return Optional.of(new SourceEntry(af, 0, InetText.format(af, a.addr()), v.inuse(), v.admitted() - off[0],
                v.hardlimited() - off[1], v.ratelimited() - off[2]));
    }

    /** Source limiter k with its entries aggregated as the reader must: count, and the {@code top} by (inuse, admitted). */
    SourceLimiter sourceLimiter(int k, int top) {
        refresh();
        SourceDef d = sources.get(k);
        SourceValues[] per = cachedSources[k];
        long inuse = 0, admitted = 0, hard = 0, rate = 0, allocs = 0, n = 0;
        List<SourceEntry> live = new ArrayList<>();
        for (int s = 0; s < per.length; s++) {
            long[] off = sourceOffsets[k][s];
            admitted += per[s].admitted() - off[0];
            hard += per[s].hardlimited() - off[1];
            rate += per[s].ratelimited() - off[2];
            allocs += per[s].allocs() - off[3];
            Optional<SourceEntry> e = entry(k, s);
            if (e.isPresent()) {
                inuse += e.get().inuse();
                n++;
                live.add(e.get());
            }
        }
        long addrLimited = (long) (cachedSourceAttempts[k] * d.addrLimited()) - addrLimitedOffsets[k];
        // a stable sort keeps kernel order among equals
        List<SourceEntry> ranked = new ArrayList<>(live);
        ranked.sort(Comparator.comparingLong(SourceEntry::inuse).thenComparingLong(SourceEntry::admitted).reversed());
        return new SourceLimiter(d.id(), d.name(), d.entries(), d.limit(), d.rateLimit(), d.rateSeconds(), d.overload(),
                d.hwm(), d.lwm(), d.inetPrefix(), d.inet6Prefix(), n, inuse, allocs, 0, admitted, addrLimited, hard, rate,
                new SourceEntries(n, ranked.subList(0, Math.min(top, ranked.size())), top));
    }

    /** Ground truth: every limiter as a perfect reader keeping {@code top} entries would report it now. */
    List<StateLimiter> stateLimiters() {
        List<StateLimiter> out = new ArrayList<>();
        for (int k = 0; k < states.size(); k++) {
            out.add(stateLimiter(k));
        }
        out.sort(Comparator.comparingInt(StateLimiter::id));
        return out;
    }

    List<SourceLimiter> sourceLimiters(int top) {
        List<SourceLimiter> out = new ArrayList<>();
        for (int k = 0; k < sources.size(); k++) {
            out.add(sourceLimiter(k, top));
        }
        out.sort(Comparator.comparingInt(SourceLimiter::id));
        return out;
    }

    // =====================================================================================
    // the ioctls

    int ioctl(PfAbi abi, PfIoctl io, ByteBuffer a, IoctlCall call) {
        refresh();
        return switch (io) {
            case DIOCGETSTATELIM -> getStatelim(abi, a, false);
            case DIOCGETNSTATELIM -> getStatelim(abi, a, true);
            case DIOCGETSOURCELIM -> getSourcelim(abi, a, false);
            case DIOCGETNSOURCELIM -> getSourcelim(abi, a, true);
            case DIOCGETSOURCE -> getSource(abi, a, call, false);
            case DIOCGETNSOURCE -> getSource(abi, a, call, true);
            default -> throw new IllegalArgumentException(io + " is not a limiter request");
        };
    }

    /** RBT_FIND (exact) or RBT_NFIND (smallest at or above) on the id tree; -1 if none. */
    private static int find(List<Integer> ids, long id, boolean nfind) {
        int best = -1;
        for (int k = 0; k < ids.size(); k++) {
            long have = ids.get(k);
            if (have == id || nfind && have > id && (best < 0 || have < ids.get(best))) {
                best = k;
                if (have == id) {
                    return k;
                }
            }
        }
        return best;
    }

    /** pf_statelim_get(): ENOENT when no limiter matches; ticket and description are not written. */
    private int getStatelim(PfAbi abi, ByteBuffer a, boolean nfind) {
        CStruct s = abi.struct("pfioc_statelim");
        int k = find(states.stream().map(StateDef::id).toList(), NativeBytes.u32(a, s.offset("id")), nfind);
        if (k < 0) {
            return Errno.ENOENT;
        }
        StateLimiter l = stateLimiter(k);
        CStruct rate = (CStruct) s.field("rate").type();
        NativeBytes.putU32(a, s.offset("id"), l.id());
        NativeBytes.putU32(a, s.offset("limit"), l.limit());
        NativeBytes.putU32(a, s.offset("rate") + rate.offset("limit"), l.rateLimit());
        NativeBytes.putU32(a, s.offset("rate") + rate.offset("seconds"), l.rateSeconds());
        NativeBytes.putCString(a, s.offset("name"), 16, l.name());
        NativeBytes.putU32(a, s.offset("inuse"), l.inuse());
        NativeBytes.putU64(a, s.offset("admitted"), l.admitted());
        NativeBytes.putU64(a, s.offset("hardlimited"), l.hardlimited());
        NativeBytes.putU64(a, s.offset("ratelimited"), l.ratelimited());
        return 0;
    }

    /** pf_sourcelim_get(): ESRCH when no limiter matches; ticket and description are not written. */
    private int getSourcelim(PfAbi abi, ByteBuffer a, boolean nfind) {
        CStruct s = abi.struct("pfioc_sourcelim");
        int k = find(sources.stream().map(SourceDef::id).toList(), NativeBytes.u32(a, s.offset("id")), nfind);
        if (k < 0) {
            return Errno.ESRCH;
        }
        SourceLimiter l = sourceLimiter(k, 0);
        CStruct rate = (CStruct) s.field("rate").type();
        NativeBytes.putU32(a, s.offset("id"), l.id());
        NativeBytes.putU32(a, s.offset("entries"), l.entries());
        NativeBytes.putU32(a, s.offset("limit"), l.limit());
        NativeBytes.putU32(a, s.offset("inet_prefix"), l.inetPrefix());
        NativeBytes.putU32(a, s.offset("inet6_prefix"), l.inet6Prefix());
        NativeBytes.putU32(a, s.offset("rate") + rate.offset("limit"), l.rateLimit());
        NativeBytes.putU32(a, s.offset("rate") + rate.offset("seconds"), l.rateSeconds());
        NativeBytes.putCString(a, s.offset("overload_tblname"), PfConstants.PF_TABLE_NAME_SIZE, l.overloadTable());
        NativeBytes.putU32(a, s.offset("overload_hwm"), l.overloadHwm());
        NativeBytes.putU32(a, s.offset("overload_lwm"), l.overloadLwm());
        NativeBytes.putCString(a, s.offset("name"), 16, l.name());
        NativeBytes.putU32(a, s.offset("nentries"), l.nentries());
        NativeBytes.putU32(a, s.offset("inuse"), l.inuse());
        NativeBytes.putU64(a, s.offset("addrallocs"), l.addrallocs());
        NativeBytes.putU64(a, s.offset("addrnomem"), l.addrnomem());
        NativeBytes.putU64(a, s.offset("admitted"), l.admitted());
        NativeBytes.putU64(a, s.offset("addrlimited"), l.addrlimited());
        NativeBytes.putU64(a, s.offset("hardlimited"), l.hardlimited());
        NativeBytes.putU64(a, s.offset("ratelimited"), l.ratelimited());
        return 0;
    }

    /** (af, rdomain big-endian, addr): pf_source_ioc_cmp() order as bytes. */
    private static byte[] key(int af, long rdomain, byte[] addr) {
        byte[] k = new byte[21];
        k[0] = (byte) af;
        k[1] = (byte) (rdomain >>> 24);
        k[2] = (byte) (rdomain >>> 16);
        k[3] = (byte) (rdomain >>> 8);
        k[4] = (byte) rdomain;
        System.arraycopy(addr, 0, k, 5, 16);
        return k;
    }

    /**
     * pf_source_get(): EINVAL for a wrong entry_size, EMSGSIZE for a buffer smaller than one entry,
     * EFAULT when the key cannot be copied in, ESRCH without the limiter, ENOENT without an entry at
     * (or, for NFIND, after) the key; entries are copied out until the buffer is full or they end,
     * EMSGSIZE when more remain and the rest of the buffer is shorter than an entry. On any error the
     * argument is not copied back (sys_ioctl() copies out only on success).
     */
    private int getSource(PfAbi abi, ByteBuffer a, IoctlCall call, boolean nfind) {
        CStruct s = abi.struct("pfioc_source");
        CStruct e = abi.struct("pfioc_source_entry");
        int esize = e.size();
        if (NativeBytes.u64(a, s.offset("entry_size")) != esize) {
            return Errno.EINVAL;
        }
        long len = NativeBytes.u64(a, s.offset("entrieslen"));
        if (Long.compareUnsigned(len, esize) < 0) {
            return Errno.EMSGSIZE;
        }
        Optional<ByteBuffer> keyBuf = call.pointee(s.offset("key"));
        if (keyBuf.isEmpty() || keyBuf.get().capacity() < esize) {
            return Errno.EFAULT;
        }
        ByteBuffer kb = keyBuf.get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] kaddr = new byte[16];
        kb.get(e.offset("addr"), kaddr);
        byte[] key = key(NativeBytes.u8(kb, e.offset("af")), NativeBytes.u32(kb, e.offset("rdomain")), kaddr);
        int k = find(sources.stream().map(SourceDef::id).toList(), NativeBytes.u32(a, s.offset("id")), false);
        if (k < 0) {
            return Errno.ESRCH;
        }
        Address[] pop = sources.get(k).population();
        int first = -1;
        for (int i = 0; i < pop.length; i++) {
            if (cachedSources[k][i].inuse() == 0) {
                continue;
            }
            int c = Arrays.compareUnsigned(key(pop[i].af(), 0, pop[i].addr()), key);
            if (c == 0 || nfind && c > 0) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return Errno.ENOENT;
        }
        ByteBuffer out = call.pointee(s.offset("entries")).map(b -> b.duplicate().order(ByteOrder.LITTLE_ENDIAN)).orElse(null);
        long used = 0;
        int i = first;
        while (true) {
            if (out == null || used + esize > out.capacity()) {
                return Errno.EFAULT;                       // copyout() to memory the caller does not have
            }
            SourceEntry se = entry(k, i).orElseThrow();
            int base = (int) used;
            for (int z = 0; z < esize; z++) {
                out.put(base + z, (byte) 0);               // memset(&e, 0, sizeof(e)) before the loop: padding is 0
            }
            NativeBytes.putU8(out, base + e.offset("af"), pop[i].af());
            NativeBytes.putU32(out, base + e.offset("rdomain"), 0);
            out.put(base + e.offset("addr"), pop[i].addr());
            NativeBytes.putU32(out, base + e.offset("inuse"), se.inuse());
            NativeBytes.putU64(out, base + e.offset("admitted"), se.admitted());
            NativeBytes.putU64(out, base + e.offset("hardlimited"), se.hardlimited());
            NativeBytes.putU64(out, base + e.offset("ratelimited"), se.ratelimited());
            used += esize;
            if (used == len) {
                break;
            }
            int next = -1;
            for (int j = i + 1; j < pop.length; j++) {
                if (cachedSources[k][j].inuse() > 0) {
                    next = j;
                    break;
                }
            }
            if (next < 0) {
                break;
            }
            if (Long.compareUnsigned(len - used, esize) < 0) {
                return Errno.EMSGSIZE;
            }
            i = next;
        }
        SourceDef d = sources.get(k);
        NativeBytes.putU32(a, s.offset("inet_prefix"), d.inetPrefix());
        NativeBytes.putU32(a, s.offset("inet6_prefix"), d.inet6Prefix());
        NativeBytes.putU32(a, s.offset("limit"), d.limit());
        NativeBytes.putU64(a, s.offset("entrieslen"), used);
        return 0;
    }
}
