package org.pfmeter.pf.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/**
 * Ground truth of the tables' own counters ({@code pfrts_packets}, {@code pfrts_bytes}), kept as
 * {@link SimTableAddresses} keeps the entries': per table, what each DIOCRGETTSTATS last returned,
 * and at each reset ({@code pfctl -T zero}, a pf restart: {@link SimKernel}'s zeroTables) what pf
 * had counted since that no read returned (discarded). Packets and bytes by direction, kept per
 * action so that the truth of one action ({@link #truth(TableAction...)}) is as exact as the sum's.
 * A table flush ({@link Fault#TABLE_FLUSH}) deletes entries, not the table's counters
 * (pfr_clr_addrs() leaves pfrts_* alone), so it is no reset here.
 */
final class SimTableTruth {

    /** Values per table: per action (block, match, pass, xpass) packets in, out, bytes in, out. */
    private static final int W = 4 * 4;

    private final SimKernel kernel;
    /** Per table: the value when the current epoch began. */
    private final long[] base;
    /** The last value a DIOCRGETTSTATS returned in the current epoch (the base until one did). */
    private final long[] returned;
    /** Over the epochs that ended: what was observable (returned − base) and what was discarded. */
    private final long[] banked;
    private final long[] discarded;

    SimTableTruth(SimKernel kernel) {
        this.kernel = kernel;
        int n = kernel.topo.tables.size();
        base = new long[n * W];
        returned = new long[n * W];
        banked = new long[n * W];
        discarded = new long[n * W];
        for (int i = 0; i < n; i++) {
            long[] v = values(kernel.table(i));
            System.arraycopy(v, 0, base, i * W, W);
            System.arraycopy(v, 0, returned, i * W, W);
        }
        kernel.onTablesZeroing = this::zeroing;
    }

    /** DIOCRGETTSTATS returned {@code t} for table {@code i}. */
    void returned(int i, TableStats t) {
        System.arraycopy(values(t), 0, returned, i * W, W);
    }

    private void zeroing(Frame f, long r) {
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            long[] before = values(kernel.table(f, i));
            for (int k = 0; k < W; k++) {
                banked[i * W + k] += returned[i * W + k] - base[i * W + k];
                discarded[i * W + k] += before[k] - returned[i * W + k];
                base[i * W + k] = 0;
                returned[i * W + k] = 0;
            }
        }
    }

    /** Summed over the four actions. */
    Map<TableKey, GroundTruth.Totals> truth() {
        return truth(TableAction.values());
    }

    /** Of the given actions, summed. */
    Map<TableKey, GroundTruth.Totals> truth(TableAction... actions) {
        Map<TableKey, GroundTruth.Totals> m = new LinkedHashMap<>();
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            long[] now = values(kernel.table(i));
            long[] seen = new long[4];
            long[] lost = new long[4];
            for (TableAction op : actions) {
                for (int k = 0; k < 4; k++) {
                    int at = op.ordinal() * 4 + k;
                    seen[k] += banked[i * W + at] + now[at] - base[i * W + at];
                    lost[k] += discarded[i * W + at];
                }
            }
            GroundTruth.Counts discardedCounts = new GroundTruth.Counts(lost[0], lost[1], lost[2], lost[3]);
            GroundTruth.Counts observable = new GroundTruth.Counts(seen[0], seen[1], seen[2], seen[3]);
            Topology.TableDef d = kernel.topo.tables.get(i);
            m.put(new TableKey(d.anchor(), d.name()), new GroundTruth.Totals(observable.plus(discardedCounts), discardedCounts));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Per action: packets in, out, bytes in, out. */
    private static long[] values(TableStats t) {
        long[] v = new long[W];
        for (TableAction op : TableAction.values()) {
            v[op.ordinal() * 4] = t.packets(Direction.IN, op);
            v[op.ordinal() * 4 + 1] = t.packets(Direction.OUT, op);
            v[op.ordinal() * 4 + 2] = t.bytes(Direction.IN, op);
            v[op.ordinal() * 4 + 3] = t.bytes(Direction.OUT, op);
        }
        return v;
    }
}
