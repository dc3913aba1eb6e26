package org.pfmeter.exporter.jmx;

import java.util.List;

/**
 * {@code org.pfmeter:type=TableAddresses,anchor=…,name=…}: one table named in
 * {@code tables.address-counters} with every entry and its counters ({@code pfctl -t NAME -T show -v}),
 * a point-in-time copy of the latest poll. Holds addresses: JMX only, never a metric label.
 */
public interface TableAddressesMXBean {

    String getAnchor();

    String getName();

    /** False when pf has no such active table (its anchor not loaded, or a typo in the configuration). */
    boolean isFound();

    int getAddressCount();

    /** Entries for which pf holds counters (a table without the counters flag has none). */
    int getCountedAddressCount();

    /** Every entry in the kernel's order. */
    List<TableEntry> getEntries();
}
