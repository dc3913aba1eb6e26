package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.StateLimiter;

/**
 * State limiters (DIOCGETNSTATELIM, pfvar.h 1.548: OpenBSD 7.9 and later), one series per limiter
 * and field of {@code struct pfioc_statelim}, named after the field. Labels are the limiter's id and
 * name: at most 255 limiters (PF_STATELIM_ID_MAX).
 *
 * <pre>
 * pf_state_limiter_limit{id="1",name="lan-states"} 777.0
 * pf_state_limiter_inuse{id="1",name="lan-states"} 702.0
 * pf_state_limiter_admitted_total{id="1",name="lan-states"} 382757.0
 * pf_state_limiter_hardlimited_total{id="1",name="lan-states"} 1151.0
 * </pre>
 *
 * On 7.8 the subsystem is not present and no family has a sample.
 */
final class StateLimitersCollector implements SubsystemCollector {

    static final String LIMIT = "pf_state_limiter_limit";
    static final String RATE_LIMIT = "pf_state_limiter_rate_limit";
    static final String RATE_SECONDS = "pf_state_limiter_rate_seconds";
    static final String INUSE = "pf_state_limiter_inuse";
    static final String ADMITTED = "pf_state_limiter_admitted_total";
    static final String HARDLIMITED = "pf_state_limiter_hardlimited_total";
    static final String RATELIMITED = "pf_state_limiter_ratelimited_total";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family limit = f.gauge(LIMIT, "Most states the state limiter's rules may hold at once", "id", "name");
        Family rateLimit = f.gauge(RATE_LIMIT, "States the limiter lets be created per rate window; 0 without a rate", "id", "name");
        Family rateSeconds = f.gauge(RATE_SECONDS, "The limiter's rate window in seconds; 0 without a rate", "id", "name");
        Family inuse = f.gauge(INUSE, "States the state limiter holds now", "id", "name");
        Family admitted = f.counter(ADMITTED, "States the state limiter let through", "id", "name");
        Family hard = f.counter(HARDLIMITED, "States the state limiter refused because its limit was reached", "id", "name");
        Family rate = f.counter(RATELIMITED, "States the state limiter refused because of its rate", "id", "name");
        scrape.snapshot().flatMap(s -> s.stateLimiters().value()).ifPresent(list -> {
            for (StateLimiter l : list) {
                List<String> key = List.of(Integer.toString(l.id()), l.name());
                limit.addMetric(key, u(l.limit()));
                rateLimit.addMetric(key, u(l.rateLimit()));
                rateSeconds.addMetric(key, u(l.rateSeconds()));
                inuse.addMetric(key, u(l.inuse()));
                admitted.addMetric(key, u(l.admitted()));
                hard.addMetric(key, u(l.hardlimited()));
                rate.addMetric(key, u(l.ratelimited()));
            }
        });
        return f.result(scrape);
    }
}
