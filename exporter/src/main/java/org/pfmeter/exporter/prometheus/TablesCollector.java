package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/**
 * Tables of every anchor (DIOCRGETTSTATS, {@code pfctl -sT -vv}). At most
 * {@link SeriesLimits#maxTables()} tables are exported.
 *
 * <pre>
 * pf_table_addresses{anchor="",table="bruteforce"} 17.0
 * pf_table_packets_total{anchor="",table="bruteforce",direction="in",action="block"} 3411.0
 * </pre>
 */
final class TablesCollector implements SubsystemCollector {

    static final String ADDRESSES = "pf_table_addresses";
    static final String MATCHES = "pf_table_matches_total";
    static final String NOMATCHES = "pf_table_nomatches_total";
    static final String PACKETS = "pf_table_packets_total";
    static final String BYTES = "pf_table_bytes_total";
    static final String CLEARED = "pf_table_cleared_timestamp_seconds";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family addresses = f.gauge(ADDRESSES, "Addresses in the table", "anchor", "table");
        Family matches = f.counter(MATCHES, "Lookups that found an address in the table", "anchor", "table");
        Family nomatches = f.counter(NOMATCHES, "Lookups that found no address in the table", "anchor", "table");
        Family packets = f.counter(PACKETS, "Packets matching the table by direction and the rule's action (xpass: passed, address not in table)",
                "anchor", "table", "direction", "action");
        Family bytes = f.counter(BYTES, "Bytes matching the table by direction and the rule's action (xpass: passed, address not in table)",
                "anchor", "table", "direction", "action");
        Family cleared = f.gauge(CLEARED, "Unix time the table's counters were last cleared", "anchor", "table");
        scrape.snapshot().flatMap(s -> s.tables().value()).ifPresent(list -> {
            for (TableStats t : scrape.limits().tables(org.pfmeter.exporter.poll.UniqueNames.tables(list))) {
                List<String> key = List.of(t.anchor(), t.name());
                addresses.addMetric(key, u(t.addresses()));
                matches.addMetric(key, u(t.match()));
                nomatches.addMetric(key, u(t.nomatch()));
                for (Direction d : Direction.values()) {
                    for (TableAction a : TableAction.values()) {
                        List<String> lv = List.of(t.anchor(), t.name(), d.labelValue(), a.labelValue());
                        packets.addMetric(lv, u(t.packets(d, a)));
                        bytes.addMetric(lv, u(t.bytes(d, a)));
                    }
                }
                cleared.addMetric(key, u(t.cleared()));
            }
        });
        return f.result(scrape);
    }
}
