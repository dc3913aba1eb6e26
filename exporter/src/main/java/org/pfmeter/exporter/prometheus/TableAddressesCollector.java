package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.TableAddresses;

/**
 * The tables named in {@code tables.address-counters}: how many entries each poll read and how many
 * of them pf holds counters for. The entries themselves (addresses) are never labels: they are in
 * JMX and {@code pfmeter show table-addresses}. At most 64 tables are named, so the series are bounded.
 *
 * <pre>
 * pf_table_entries_read{anchor="customers/acme",table="acme-nets"} 12.0
 * pf_table_counted_entries{anchor="customers/acme",table="acme-nets"} 11.0
 * </pre>
 */
final class TableAddressesCollector implements SubsystemCollector {

    static final String READ = "pf_table_entries_read";
    static final String COUNTED = "pf_table_counted_entries";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family read = f.gauge(READ, "Entries DIOCRGETASTATS returned for a table named in tables.address-counters", "anchor", "table");
        Family counted = f.gauge(COUNTED, "Entries of a named table for which pf holds per-address counters "
                + "(0 for a table declared without counters)", "anchor", "table");
        scrape.snapshot().flatMap(s -> s.tableAddresses().value()).ifPresent(list -> {
            for (TableAddresses t : list) {
                if (!t.found()) {
                    continue;
                }
                List<String> key = List.of(t.table().anchor(), t.table().name());
                read.addMetric(key, t.addresses().size());
                counted.addMetric(key, t.addresses().stream().filter(AddressCounters::counted).count());
            }
        });
        return f.result(scrape);
    }
}
