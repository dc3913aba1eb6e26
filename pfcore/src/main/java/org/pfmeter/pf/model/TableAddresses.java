package org.pfmeter.pf.model;

import java.util.List;
import java.util.Objects;

/**
 * The entries of one named table with their counters (DIOCRGETASTATS), in the kernel's order (IPv4
 * then IPv6, each as the radix tree walks it).
 *
 * @param found false when pf has no such active table (ESRCH: not defined, or its anchor not
 *              loaded); {@code addresses} is then empty. Whether the table keeps per-address
 *              counters at all is its {@code counters} flag, {@link TableStats#PFR_TFLAG_COUNTERS}
 *              in the same snapshot's tables.
 */
public record TableAddresses(TableKey table, boolean found, List<AddressCounters> addresses) {

    public TableAddresses {
        Objects.requireNonNull(table, "table");
        addresses = List.copyOf(addresses);
    }

    public static TableAddresses notFound(TableKey table) {
        return new TableAddresses(table, false, List.of());
    }
}
