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
 * had counted since that no read returned (discarded). Packets and bytes by direction, summed over
 * the four actions. A table flush ({@link Fault#TABLE_FLUSH}) deletes entries, not the table's
 * counters (pfr_clr_addrs() leaves pfrts_* alone), so it is no reset here.
 */
final class SimTableTruth {

    private final SimKernel kernel;
    /** Per table, 4 values each (packets in, out, bytes in, out): the value when the current epoch began. */
    private final long[] base;
    /** The last value a DIOCRGETTSTATS returned in the current epoch (the base until one did). */
    private final long[] returned;
    /** Over the epochs that ended: what was observable (returned − base) and what was discarded. */
    private final long[] banked;
    private final long[] discarded;

    SimTableTruth(SimKernel kernel) {
        this.kernel = kernel;
        int n = kernel.topo.tables.size();
        base = new long[n * 4];
        returned = new long[n * 4];
        banked = new long[n * 4];
        discarded = new long[n * 4];
        for (int i = 0; i < n; i++) {
            long[] v = sums(kernel.table(i));
            System.arraycopy(v, 0, base, i * 4, 4);
            System.arraycopy(v, 0, returned, i * 4, 4);
        }
        kernel.onTablesZeroing = this::zeroing;
    }

    /** DIOCRGETTSTATS returned {@code t} for table {@code i}. */
    void returned(int i, TableStats t) {
        System.arraycopy(sums(t), 0, returned, i * 4, 4);
    }

    private void zeroing(Frame f, long r) {
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            long[] before = sums(kernel.table(f, i));
            for (int k = 0; k < 4; k++) {
                banked[i * 4 + k] += returned[i * 4 + k] - base[i * 4 + k];
                discarded[i * 4 + k] += before[k] - returned[i * 4 + k];
                base[i * 4 + k] = 0;
                returned[i * 4 + k] = 0;
            }
        }
    }

    Map<TableKey, GroundTruth.Totals> truth() {
        Map<TableKey, GroundTruth.Totals> m = new LinkedHashMap<>();
        for (int i = 0; i < kernel.topo.tables.size(); i++) {
            long[] now = sums(kernel.table(i));
            long[] seen = new long[4];
            for (int k = 0; k < 4; k++) {
                seen[k] = banked[i * 4 + k] + now[k] - base[i * 4 + k];
            }
            GroundTruth.Counts lost = new GroundTruth.Counts(discarded[i * 4], discarded[i * 4 + 1],
                    discarded[i * 4 + 2], discarded[i * 4 + 3]);
            GroundTruth.Counts observable = new GroundTruth.Counts(seen[0], seen[1], seen[2], seen[3]);
            Topology.TableDef d = kernel.topo.tables.get(i);
            m.put(new TableKey(d.anchor(), d.name()), new GroundTruth.Totals(observable.plus(lost), lost));
        }
        return Collections.unmodifiableMap(m);
    }

    private static long[] sums(TableStats t) {
        long[] s = new long[4];
        for (TableAction op : TableAction.values()) {
            s[0] += t.packets(Direction.IN, op);
            s[1] += t.packets(Direction.OUT, op);
            s[2] += t.bytes(Direction.IN, op);
            s[3] += t.bytes(Direction.OUT, op);
        }
        return s;
    }
}
