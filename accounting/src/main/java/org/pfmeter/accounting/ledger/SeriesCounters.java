package org.pfmeter.accounting.ledger;

import java.util.ArrayList;
import java.util.List;
import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableStats;

/**
 * The raw counters of one table or one table entry in the ledger's shape ({@link Counters}), so that
 * {@link DeltaRules} turns them into deltas as it does a label's:
 *
 * <ul>
 *   <li>packets and bytes in and out: the sums over the actions pf counts ({@code pfrts_packets[dir][op]}
 *       over block, match, pass and xpass for a table; {@code pfras_packets[dir][op]} over block,
 *       match and pass for an entry);</li>
 *   <li>evaluations: a table's lookups ({@code pfrts_match + pfrts_nomatch}); 0 for an entry;</li>
 *   <li>rules: the low 32 bits of {@code pfrts_tzero} / {@code pfras_tzero}, the time pf last
 *       cleared the counters (or created the table or entry). DeltaRules counts the current value
 *       when it changes, which is how a {@code pfctl -T zero}, a table flushed and filled again, an
 *       entry deleted and added again or a pf restart is told from a counter that merely grew;</li>
 *   <li>states: 0 (pf keeps none per table).</li>
 * </ul>
 *
 * @param cleared the full {@code tzero}, seconds since the epoch
 */
record SeriesCounters(SeriesKey key, Counters counters, long cleared) {

    /** Every table of the poll's DIOCRGETTSTATS. */
    static List<SeriesCounters> tables(List<TableStats> tables) {
        List<SeriesCounters> l = new ArrayList<>(tables.size());
        for (TableStats t : tables) {
            long[] sums = new long[4];
            for (TableAction op : TableAction.values()) {
                sums[0] += t.packets(Direction.IN, op);
                sums[1] += t.packets(Direction.OUT, op);
                sums[2] += t.bytes(Direction.IN, op);
                sums[3] += t.bytes(Direction.OUT, op);
            }
            l.add(new SeriesCounters(SeriesKey.table(new org.pfmeter.pf.model.TableKey(t.anchor(), t.name())),
                    new Counters((int) t.cleared(), t.match() + t.nomatch(), sums[0], sums[1], sums[2], sums[3], 0),
                    t.cleared()));
        }
        return l;
    }

    /** Every entry of the named tables pf found (DIOCRGETASTATS). */
    static List<SeriesCounters> addresses(List<TableAddresses> tables) {
        List<SeriesCounters> l = new ArrayList<>();
        for (TableAddresses t : tables) {
            if (!t.found()) {
                continue;
            }
            for (AddressCounters a : t.addresses()) {
                l.add(new SeriesCounters(SeriesKey.address(t.table(), a.address()),
                        new Counters((int) a.cleared(), 0, a.packets(Direction.IN), a.packets(Direction.OUT),
                                a.bytes(Direction.IN), a.bytes(Direction.OUT), 0),
                        a.cleared()));
            }
        }
        return l;
    }
}
