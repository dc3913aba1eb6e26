package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;

/**
 * Interfaces and interface groups (DIOCIGETIFACES, {@code pfctl -sI -vv}). A group's counters are
 * the sum of its members', so add up {@code kind="interface"} series only.
 *
 * <pre>
 * pf_interface_packets_total{interface="em0",kind="interface",af="inet",direction="in",action="pass"} 1.2e6
 * pf_interface_bytes_total{interface="egress",kind="group",af="inet6",direction="out",action="block"} 0.0
 * pf_interface_states{interface="em0",kind="interface"} 301.0
 * </pre>
 */
final class InterfacesCollector implements SubsystemCollector {

    static final String PACKETS = "pf_interface_packets_total";
    static final String BYTES = "pf_interface_bytes_total";
    static final String STATES = "pf_interface_states";
    static final String RULES = "pf_interface_rules";
    static final String SKIPPED = "pf_interface_skipped";
    static final String CLEARED = "pf_interface_cleared_timestamp_seconds";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family packets = f.counter(PACKETS, "Packets per interface or group by address family, direction and action",
                "interface", "kind", "af", "direction", "action");
        Family bytes = f.counter(BYTES, "Bytes per interface or group by address family, direction and action",
                "interface", "kind", "af", "direction", "action");
        Family states = f.gauge(STATES, "States referencing the interface or group", "interface", "kind");
        Family rules = f.gauge(RULES, "Rules referencing the interface or group", "interface", "kind");
        Family skipped = f.gauge(SKIPPED, "1 when pf skips the interface (set skip on)", "interface", "kind");
        Family cleared = f.gauge(CLEARED, "Unix time the interface's counters were last cleared", "interface", "kind");
        scrape.snapshot().flatMap(s -> s.interfaces().value()).ifPresent(list -> {
            for (InterfaceCounters i : org.pfmeter.exporter.poll.UniqueNames.interfaces(list)) {
                String kind = i.group() ? "group" : "interface";
                for (AddressFamily af : AddressFamily.values()) {
                    for (Direction dir : Direction.values()) {
                        for (Action a : Action.values()) {
                            List<String> lv = List.of(i.name(), kind, af.labelValue(), dir.labelValue(), a.labelValue());
                            packets.addMetric(lv, u(i.counters().packets(af, dir, a)));
                            bytes.addMetric(lv, u(i.counters().bytes(af, dir, a)));
                        }
                    }
                }
                List<String> lv = List.of(i.name(), kind);
                if (i.statesCounted()) {
                    states.addMetric(lv, u(i.states()));        // FreeBSD counts no states per kif
                }
                rules.addMetric(lv, u(i.rules()));
                skipped.addMetric(lv, i.skipped() ? 1 : 0);
                if (!i.group()) {
                    cleared.addMetric(lv, u(i.cleared()));
                }
            }
        });
        return f.result(scrape);
    }
}
