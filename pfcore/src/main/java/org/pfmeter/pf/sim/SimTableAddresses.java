package org.pfmeter.pf.sim;

import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.KernelStrings;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfrAstats;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/**
 * The entries of the simulated tables and their per-address counters: DIOCRGETASTATS answered as
 * pfr_get_astats() and pfr_walktree() answer it, and the ground truth per address.
 *
 * <p>Every table has {@link Topology.TableDef#addresses()} entries, generated from the seed (IPv4
 * hosts and a few networks, a negated entry, some IPv6 /64s; IPv4 first, each family in address
 * order, as the kernel walks its two radix trees). Only tables with the {@code counters} flag count
 * per address (pfr_update_stats()); the others answer every entry with zero counters and
 * {@code PFR_FB_NOCOUNT}. A counting table's block, match and pass traffic is shared among its
 * entries by fixed weights (a negated entry counts nothing: a match on it is an xpass), so every
 * entry's counters are closed-form functions of simulated time like everything else, and an entry
 * keeps no counters (NOCOUNT) until its first packet after it was added or cleared.
 *
 * <p>Resets: pfctl -T zero and a pf restart clear every entry ({@link SimKernel}'s zeroTables);
 * {@link Fault#TABLE_FLUSH} deletes and re-adds every entry of a table, {@link Fault#ADDRESS_READD}
 * one entry. What no DIOCRGETASTATS returned before a reset is booked as discarded, as for labels.
 */
final class SimTableAddresses {

    private static final int ACTIONS = AddressCounters.ACTIONS;

    /** One entry of a counting table: offsets left by its last reset, what a read last returned. */
    private static final class Entry {
        final TableAddress address;
        final double weight;
        final long[] offPackets = new long[2 * ACTIONS];
        final long[] offBytes = new long[2 * ACTIONS];
        // per action (block, match, pass): packets in, out, bytes in, out
        final long[] returned = new long[4 * ACTIONS];
        final long[] discarded = new long[4 * ACTIONS];
        long tzero;

        Entry(TableAddress address, double weight) {
            this.address = address;
            this.weight = weight;
        }
    }

    private final SimKernel kernel;
    private final Map<Integer, List<TableAddress>> addressCache = new HashMap<>();
    /** Per counting table (Topology index): its entries in kernel order. */
    private final Map<Integer, List<Entry>> counting = new LinkedHashMap<>();

    SimTableAddresses(SimKernel kernel) {
        this.kernel = kernel;
        long start = kernel.config.counterStart();
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            if ((kernel.topo.tables.get(i).flags() & TableStats.PFR_TFLAG_COUNTERS) == 0) {
                continue;
            }
            List<TableAddress> addresses = addresses(i);
            double sum = 0;
            for (int j = 0; j < addresses.size(); j++) {
                sum += addresses.get(j).negated() ? 0 : 1.0 / (j + 1);
            }
            List<Entry> entries = new ArrayList<>();
            for (int j = 0; j < addresses.size(); j++) {
                TableAddress a = addresses.get(j);
                Entry e = new Entry(a, a.negated() ? 0 : 1.0 / (j + 1) / sum);
                Arrays.fill(e.offPackets, -start);
                Arrays.fill(e.offBytes, -start);
                Arrays.fill(e.returned, start);
                e.tzero = kernel.tableTzero[i];
                entries.add(e);
            }
            counting.put(i, entries);
        }
        kernel.onTablesZeroed = this::zeroed;
    }

    // =====================================================================================
    // the entries

    /** The entries of table {@code t}, generated once from the seed, in the kernel's walk order. */
    List<TableAddress> addresses(int t) {
        return addressCache.computeIfAbsent(t, boxed -> {
            int i = boxed;
            int n = kernel.topo.tables.get(i).addresses();
            List<TableAddress> v4 = new ArrayList<>();
            List<TableAddress> v6 = new ArrayList<>();
            long mix = kernel.config.seed() * 0x9e3779b97f4a7c15L + i;
            int third = (int) ((mix >>> 33) & 0x3f);
            for (int j = 0; j < n; j++) {
                if (j % 5 == 4) {
                    byte[] a = new byte[16];
                    a[0] = 0x20;
                    a[1] = 0x01;
                    a[2] = 0x0d;
                    a[3] = (byte) 0xb8;
                    a[4] = (byte) (i >> 8);
                    a[5] = (byte) i;
                    a[6] = (byte) (j >> 8);
                    a[7] = (byte) j;
                    v6.add(new TableAddress(AddressFamily.INET6, a, 64, false));
                } else {
                    byte[] a = {10, (byte) (i & 0xff), (byte) (third + j / 200), (byte) (j % 200 + 1)};
                    int prefix = 32;
                    if (j == 3) {
                        a[3] = (byte) 0xf0;           // a /28 at the top of the block, clear of the hosts
                        prefix = 28;
                    }
                    v4.add(new TableAddress(AddressFamily.INET, a, prefix, j == 6));
                }
            }
            Collections.sort(v4);
            Collections.sort(v6);
            List<TableAddress> all = new ArrayList<>(v4);
            all.addAll(v6);
            return List.copyOf(all);
        });
    }

    /** The first table with the counters flag, in kernel order (the target of the table faults), or -1. */
    private int firstCounting() {
        return counting.isEmpty() ? -1 : counting.keySet().iterator().next();
    }

    /** The entry's raw counters (since the simulator started) at the frame's second. */
    private static void raw(Frame f, int table, Entry e, long[] packets, long[] bytes) {
        for (int d = 0; d < 2; d++) {
            for (int op = 0; op < ACTIONS; op++) {
                packets[d * ACTIONS + op] = (long) (f.tablePackets[table * 8 + d * 4 + op] * e.weight);
                bytes[d * ACTIONS + op] = (long) (f.tableBytes[table * 8 + d * 4 + op] * e.weight);
            }
        }
    }

    private AddressCounters counters(Frame f, int table, Entry e) {
        long[] p = new long[2 * ACTIONS];
        long[] b = new long[2 * ACTIONS];
        raw(f, table, e, p, b);
        boolean any = false;
        for (int k = 0; k < p.length; k++) {
            p[k] -= e.offPackets[k];
            b[k] -= e.offBytes[k];
            any |= p[k] != 0 || b[k] != 0;
        }
        // pfrke_counters is allocated on the entry's first counted packet and freed when cleared
        return any ? new AddressCounters(e.address, true, p, b, e.tzero)
                : new AddressCounters(e.address, false, new long[2 * ACTIONS], new long[2 * ACTIONS], e.tzero);
    }

    /** What DIOCRGETASTATS reports for table {@code t} now. */
    List<AddressCounters> stats(int t) {
        List<Entry> entries = counting.get(t);
        List<AddressCounters> out = new ArrayList<>();
        if (entries == null) {
            for (TableAddress a : addresses(t)) {
                out.add(new AddressCounters(a, false, new long[2 * ACTIONS], new long[2 * ACTIONS], kernel.tableTzero[t]));
            }
            return out;
        }
        Frame f = kernel.frame();
        for (Entry e : entries) {
            out.add(counters(f, t, e));
        }
        return out;
    }

    // =====================================================================================
    // resets

    private void reset(Frame f, int table, Entry e, long r) {
        AddressCounters now = counters(f, table, e);
        long[] values = values(now);
        for (int k = 0; k < values.length; k++) {
            e.discarded[k] += values[k] - e.returned[k];
        }
        Arrays.fill(e.returned, 0);
        raw(f, table, e, e.offPackets, e.offBytes);
        e.tzero = kernel.epoch(r);
    }

    /** Per action (block, match, pass): packets in, out, bytes in, out. */
    private static long[] values(AddressCounters c) {
        long[] v = new long[4 * ACTIONS];
        for (int op = 0; op < ACTIONS; op++) {
            TableAction a = TableAction.values()[op];
            v[op * 4] = c.packets(Direction.IN, a);
            v[op * 4 + 1] = c.packets(Direction.OUT, a);
            v[op * 4 + 2] = c.bytes(Direction.IN, a);
            v[op * 4 + 3] = c.bytes(Direction.OUT, a);
        }
        return v;
    }

    /** pfr_clr_tstats() with PFR_FLAG_ADDRSTOO (pfctl -T zero), or the tables recreated by a pf restart. */
    private void zeroed(Frame f, long r) {
        for (Map.Entry<Integer, List<Entry>> t : counting.entrySet()) {
            for (Entry e : t.getValue()) {
                reset(f, t.getKey(), e, r);
            }
        }
    }

    /** {@link Fault#TABLE_FLUSH}: every entry of the first counting table deleted and added again. */
    void flush(long r) {
        int t = firstCounting();
        if (t >= 0) {
            Frame f = kernel.frame();
            for (Entry e : counting.get(t)) {
                reset(f, t, e, r);
            }
        }
    }

    /** {@link Fault#ADDRESS_READD}: the busiest entry of the first counting table deleted and added again. */
    void readd(long r) {
        int t = firstCounting();
        if (t >= 0) {
            Frame f = kernel.frame();
            Entry busiest = counting.get(t).stream().max(Comparator.comparingDouble(e -> e.weight)).orElseThrow();
            reset(f, t, busiest, r);
        }
    }

    // =====================================================================================
    // ground truth

    /** Per counting table and entry: what the traffic model counted on it, and what resets discarded unread. */
    Map<TableKey, Map<TableAddress, GroundTruth.Totals>> truth() {
        return truth(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS);
    }

    /** As {@link #truth()}, of the given actions summed (block, match, pass; xpass counts nothing on an entry). */
    Map<TableKey, Map<TableAddress, GroundTruth.Totals>> truth(TableAction... actions) {
        Frame f = kernel.frame();
        Map<TableKey, Map<TableAddress, GroundTruth.Totals>> m = new LinkedHashMap<>();
        long[] p = new long[2 * ACTIONS];
        long[] b = new long[2 * ACTIONS];
        for (Map.Entry<Integer, List<Entry>> t : counting.entrySet()) {
            Topology.TableDef d = kernel.topo.tables.get(t.getKey());
            Map<TableAddress, GroundTruth.Totals> entries = new LinkedHashMap<>();
            for (Entry e : t.getValue()) {
                raw(f, t.getKey(), e, p, b);
                long[] c = new long[4];
                long[] lost = new long[4];
                for (TableAction a : actions) {
                    if (a == TableAction.XPASS) {
                        continue;
                    }
                    int op = a.ordinal();
                    c[0] += p[op];
                    c[1] += p[ACTIONS + op];
                    c[2] += b[op];
                    c[3] += b[ACTIONS + op];
                    for (int k = 0; k < 4; k++) {
                        lost[k] += e.discarded[op * 4 + k];
                    }
                }
                GroundTruth.Counts counted = new GroundTruth.Counts(c[0], c[1], c[2], c[3]);
                GroundTruth.Counts discarded = new GroundTruth.Counts(lost[0], lost[1], lost[2], lost[3]);
                entries.put(e.address, new GroundTruth.Totals(counted, discarded));
            }
            m.put(new TableKey(d.anchor(), d.name()), Collections.unmodifiableMap(entries));
        }
        return Collections.unmodifiableMap(m);
    }

    // =====================================================================================
    // DIOCRGETASTATS

    /** pf_ioctl's DIOCRGETASTATS case and pfr_get_astats(). */
    int getAstats(PfAbi abi, ByteBuffer a, IoctlCall call) {
        CStruct s = abi.struct("pfioc_table");
        PfrAstats codec = abi.astats();
        if (a.getInt(s.offset("pfrio_esize")) != codec.size()) {
            return Errno.ENODEV;
        }
        // pfr_validate_table(tbl, 0, 0): a NUL-terminated, NUL-padded name; no table flags
        int nameAt = s.offset("pfrio_table", "pfrt_name");
        byte[] name = new byte[PF_TABLE_NAME_SIZE];
        a.get(nameAt, name);
        int len = 0;
        while (len < PF_TABLE_NAME_SIZE && name[len] != 0) {
            len++;
        }
        if (len == 0 || len == PF_TABLE_NAME_SIZE) {
            return Errno.EINVAL;
        }
        for (int i = len; i < PF_TABLE_NAME_SIZE; i++) {
            if (name[i] != 0) {
                return Errno.EINVAL;
            }
        }
        if (a.getInt(s.offset("pfrio_table", "pfrt_flags")) != 0) {
            return Errno.EINVAL;
        }
        // pfr_fix_anchor(): leading slashes stripped; NUL-terminated and NUL-padded
        int anchorAt = s.offset("pfrio_table", "pfrt_anchor");
        byte[] anchor = new byte[PATH_MAX];
        a.get(anchorAt, anchor);
        String path = PfrAnchor.fix(anchor);
        if (path == null) {
            return Errno.EINVAL;
        }
        a.put(anchorAt, anchor);
        String table = KernelStrings.decode(name, 0, len);
        int t = -1;
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            Topology.TableDef d = kernel.topo.tables.get(i);
            if (d.anchor().equals(path) && d.name().equals(table)) {
                t = i;
            }
        }
        if (t < 0) {
            return Errno.ESRCH;                       // no such table, or not active
        }
        List<AddressCounters> entries = stats(t);
        int n = entries.size();
        int sizeAt = s.offset("pfrio_size");
        if (n > a.getInt(sizeAt)) {
            a.putInt(sizeAt, n);                      // nothing copied: the count, and success
            return 0;
        }
        if (n > 0) {
            Optional<ByteBuffer> buf = call.pointee(s.offset("pfrio_buffer"));
            if (buf.isEmpty() || buf.get().capacity() < n * codec.size()) {
                return Errno.EFAULT;
            }
            ByteBuffer out = buf.get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            byte[] zero = new byte[codec.size()];
            for (int i = 0; i < n; i++) {
                out.put(i * codec.size(), zero);
                codec.encode(entries.get(i), out, i * codec.size());
            }
            List<Entry> counted = counting.get(t);
            if (counted != null) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(values(entries.get(i)), 0, counted.get(i).returned, 0, 4 * ACTIONS);
                }
            }
        }
        a.putInt(sizeAt, n);
        return 0;
    }
}
