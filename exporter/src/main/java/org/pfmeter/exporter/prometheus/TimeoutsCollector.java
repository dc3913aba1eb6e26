package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.PfTimeout;

/**
 * The timeouts (DIOCGETTIMEOUT, {@code pfctl -s timeouts}). The adaptive thresholds count states,
 * so they are a family of their own.
 *
 * <pre>
 * pf_timeout_seconds{timeout="tcp_established"} 86400.0
 * pf_timeout_adaptive_states{threshold="start"} 6000.0
 * </pre>
 */
final class TimeoutsCollector implements SubsystemCollector {

    static final String TIMEOUT = "pf_timeout_seconds";
    static final String ADAPTIVE = "pf_timeout_adaptive_states";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family timeout = f.gauge(TIMEOUT, "Timeout per state kind, as pfctl -s timeouts names them", "timeout");
        Family adaptive = f.gauge(ADAPTIVE, "Adaptive timeout scaling starts (start) and reaches zero (end) at this many states", "threshold");
        scrape.snapshot().flatMap(s -> s.timeouts().value()).ifPresent(t -> {
            for (PfTimeout p : PfTimeout.values()) {
                if (p == PfTimeout.ADAPTIVE_START) {
                    adaptive.addMetric(List.of("start"), u(t.get(p)));
                } else if (p == PfTimeout.ADAPTIVE_END) {
                    adaptive.addMetric(List.of("end"), u(t.get(p)));
                } else {
                    timeout.addMetric(List.of(p.labelValue()), u(t.get(p)));
                }
            }
        });
        return f.result(scrape);
    }
}
