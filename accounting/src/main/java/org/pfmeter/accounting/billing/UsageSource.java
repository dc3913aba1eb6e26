package org.pfmeter.accounting.billing;

import java.time.Instant;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * What billing reads: hosts, labels, polls and the 5-minute traffic of labels. Reports and exports
 * read only through this, so they are computed the same way over the accounting database
 * ({@code org.pfmeter.accounting.store.SqlUsageSource}) and over data held in memory (tests).
 *
 * <p>A report's reads happen inside one {@link #read}: an implementation shows them all as of one
 * instant, so that a 5-minute bucket the ledger closes meanwhile is counted once, not twice or
 * never.
 */
public interface UsageSource {

    /**
     * Runs {@code work} over one consistent view of the data.
     *
     * @param what what the work reads, for error messages ("read 5-minute usage for 2026-10")
     * @throws IllegalArgumentException as thrown by {@code work}
     * @throws org.pfmeter.accounting.store.StoreException when the data cannot be read
     */
    <T> T read(String what, Function<Reading, T> work);

    /** The data as one {@link #read} sees it. Valid only inside that call. */
    interface Reading {

        /** Every host that has been polled, sorted. */
        List<String> hosts();

        /** Every (anchor, label) known on {@code host} or (empty) on any host, sorted. */
        List<LabelKey> labels(Optional<String> host);

        /** Per label, the hosts that know it, sorted. */
        Map<LabelKey, List<String>> hostsByLabel();

        /** The first poll of every host. */
        Map<String, Instant> firstPolls();

        /**
         * Per host, the slots in which a poll of it was stored, among the {@code slots} 5-minute grid
         * points from {@code first} (epoch seconds): bit {@code i} is the slot starting at
         * {@code SlotGrid.start(first, i)}. Hosts without a poll there are absent.
         */
        Map<String, BitSet> polledSlots(long first, int slots);

        /**
         * For every label of {@code labels}, in an order of the source's choosing: {@link LabelSink#start},
         * then every stored 5-minute slot of the label with {@code from ≤ start < to} on {@code host} or
         * (empty) on every host, closed or still open, then {@link LabelSink#end}. A slot comes once
         * per host that has a row there (a row may carry zero traffic: the label's rule was evaluated
         * only). The labels are handed over one at a time, so the caller need not hold them all.
         */
        void forEachLabel(Instant from, Instant to, Optional<String> host, Collection<LabelKey> labels, LabelSink sink);
    }

    /** Receives the slots of one label after another. */
    interface LabelSink {

        void start(LabelKey key);

        /** One host's row of the current label in the slot starting at {@code slotStart} (epoch seconds). */
        void slot(String host, long slotStart, long packetsIn, long packetsOut, long bytesIn, long bytesOut);

        /**
         * Several rows of one host of the current label at once (a sealed day), the same as a
         * {@link #slot} call for each in order; {@code rows} is valid only during the call. A source
         * hands over a day this way so that a sink can add it column by column.
         */
        default void rows(String host, SlotRows rows) {
            int[] slot = rows.slots();
            for (int j = 0; j < rows.size(); j++) {
                slot(host, SlotGrid.start(rows.base(), slot[j]), rows.packetsIn()[j], rows.packetsOut()[j],
                        rows.bytesIn()[j], rows.bytesOut()[j]);
            }
        }

        void end(LabelKey key);
    }
}
