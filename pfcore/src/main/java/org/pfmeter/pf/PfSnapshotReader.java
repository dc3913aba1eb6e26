package org.pfmeter.pf;

import java.util.List;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableKey;

/**
 * What the exporter and the accounting read pf through, whatever the platform: OpenBSD's ioctls
 * ({@link PfReader}) or FreeBSD's netlink ({@link FreeBsdPfReader}). One call, one immutable snapshot;
 * a pf error is in the snapshot, never thrown.
 */
public interface PfSnapshotReader {

    /** Reads every subsystem once. */
    PfSnapshot poll();

    /**
     * Reads at least what the ledger uses: status, rules, tables and the entries of
     * {@link #addressTables()}. A reader may read everything, as {@link #poll()} does.
     */
    default PfSnapshot pollForLedger() {
        return poll();
    }

    /** The tables whose addresses every poll reads; none by default. */
    default List<TableKey> addressTables() {
        return List.of();
    }
}
