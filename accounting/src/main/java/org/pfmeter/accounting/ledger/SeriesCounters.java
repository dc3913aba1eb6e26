package org.pfmeter.accounting.ledger;

import java.util.ArrayList;
import java.util.List;
import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/**
 * The raw counters of one table or one table entry in the ledger's shape ({@link Counters}), so that
 * {@link DeltaRules} turns them into deltas as it does a label's. Each table and entry gives one
 * series of the sum (kind {@code table}, {@code address}) and one per action pf counts (kinds
 * {@code table-block}, {@code table-match}, {@code table-pass}, {@code table-xpass};
 * {@code address-block}, {@code address-match}, {@code address-pass}), all with the same
 * {@code tzero}, so they reset together:
 *
 * <ul>
 *   <li>packets and bytes in and out: the sum series the sums over the actions pf counts
 *       ({@code pfrts_packets[dir][op]} over block, match, pass and xpass for a table;
 *       {@code pfras_packets[dir][op]} over block, match and pass for an entry), an action's
 *       series that action's counters;</li>
 *   <li>evaluations: a table's lookups ({@code pfrts_match + pfrts_nomatch}) on its sum series; 0
 *       otherwise;</li>
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

    /** The actions pf counts on an entry (PFR_OP_ADDR_MAX = 3: no xpass). */
    private static final List<TableAction> ADDRESS_ACTIONS = List.of(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS);

    /** Every table of the poll's DIOCRGETTSTATS: its sum, then one series per action. */
    static List<SeriesCounters> tables(List<TableStats> tables) {
        List<SeriesCounters> l = new ArrayList<>(tables.size() * 5);
        for (TableStats t : tables) {
            TableKey key = new TableKey(t.anchor(), t.name());
            long[] sums = new long[4];
            for (TableAction op : TableAction.values()) {
                sums[0] += t.packets(Direction.IN, op);
                sums[1] += t.packets(Direction.OUT, op);
                sums[2] += t.bytes(Direction.IN, op);
                sums[3] += t.bytes(Direction.OUT, op);
            }
            l.add(new SeriesCounters(SeriesKey.table(key),
                    new Counters((int) t.cleared(), t.match() + t.nomatch(), sums[0], sums[1], sums[2], sums[3], 0),
                    t.cleared()));
            for (TableAction op : TableAction.values()) {
                // a lookup is no action's: evaluations stay with the sum
                l.add(new SeriesCounters(SeriesKey.tableAction(key, op),
                        new Counters((int) t.cleared(), 0, t.packets(Direction.IN, op), t.packets(Direction.OUT, op),
                                t.bytes(Direction.IN, op), t.bytes(Direction.OUT, op), 0),
                        t.cleared()));
            }
        }
        return l;
    }

    /** Every entry of the named tables pf found (DIOCRGETASTATS): its sum, then one series per action. */
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
                for (TableAction op : ADDRESS_ACTIONS) {
                    l.add(new SeriesCounters(SeriesKey.addressAction(t.table(), a.address(), op),
                            new Counters((int) a.cleared(), 0, a.packets(Direction.IN, op), a.packets(Direction.OUT, op),
                                    a.bytes(Direction.IN, op), a.bytes(Direction.OUT, op), 0),
                            a.cleared()));
                }
            }
        }
        return l;
    }

    /** True for the sums ({@code table}, {@code address}): the series whose resets are counted and logged. */
    boolean isSum() {
        return key.kind().action().isEmpty();
    }
}
