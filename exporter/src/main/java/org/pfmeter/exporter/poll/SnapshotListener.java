package org.pfmeter.exporter.poll;

import org.pfmeter.pf.model.PfSnapshot;

/**
 * Receives every snapshot the poller reads, on the poller's thread, after it became the latest one.
 * This is the seam for consumers such as the accounting ledger and the JMX beans. A listener that
 * throws is logged and does not stop the others; a slow one delays the next poll, never a scrape.
 */
@FunctionalInterface
public interface SnapshotListener {

    /** @param stats the poller's counters including this poll */
    void onSnapshot(PfSnapshot snapshot, PollStats stats);
}
