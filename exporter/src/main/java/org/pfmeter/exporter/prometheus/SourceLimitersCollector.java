package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.SourceLimiter;

/**
 * Source limiters (DIOCGETNSOURCELIM, pfvar.h 1.548: OpenBSD 7.9 and later), one series per limiter
 * and field of {@code struct pfioc_sourcelim}, named after the field, plus the states held by its
 * busiest address entry (DIOCGETNSOURCE), so "one address near the per-address limit" needs no
 * address in a label. Labels are the limiter's id and name (at most 255 limiters).
 *
 * <pre>
 * pf_source_limiter_nentries{id="1",name="per-client"} 48.0
 * pf_source_limiter_inuse{id="1",name="per-client"} 243.0
 * pf_source_limiter_entry_inuse_max{id="1",name="per-client"} 28.0
 * pf_source_limiter_addrlimited_total{id="1",name="per-client"} 59.0
 * </pre>
 */
final class SourceLimitersCollector implements SubsystemCollector {

    static final String ENTRIES = "pf_source_limiter_entries";
    static final String LIMIT = "pf_source_limiter_limit";
    static final String RATE_LIMIT = "pf_source_limiter_rate_limit";
    static final String RATE_SECONDS = "pf_source_limiter_rate_seconds";
    static final String NENTRIES = "pf_source_limiter_nentries";
    static final String INUSE = "pf_source_limiter_inuse";
    static final String ENTRY_INUSE_MAX = "pf_source_limiter_entry_inuse_max";
    static final String ADDRALLOCS = "pf_source_limiter_addrallocs_total";
    static final String ADDRNOMEM = "pf_source_limiter_addrnomem_total";
    static final String ADMITTED = "pf_source_limiter_admitted_total";
    static final String ADDRLIMITED = "pf_source_limiter_addrlimited_total";
    static final String HARDLIMITED = "pf_source_limiter_hardlimited_total";
    static final String RATELIMITED = "pf_source_limiter_ratelimited_total";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family entries = f.gauge(ENTRIES, "Most address entries the source limiter tracks at once", "id", "name");
        Family limit = f.gauge(LIMIT, "Most states one address entry of the source limiter may hold", "id", "name");
        Family rateLimit = f.gauge(RATE_LIMIT, "States one address may create per rate window; 0 without a rate", "id", "name");
        Family rateSeconds = f.gauge(RATE_SECONDS, "The source limiter's rate window in seconds; 0 without a rate", "id", "name");
        Family nentries = f.gauge(NENTRIES, "Address entries the source limiter holds now", "id", "name");
        Family inuse = f.gauge(INUSE, "States held across the source limiter's address entries now", "id", "name");
        Family max = f.gauge(ENTRY_INUSE_MAX, "States held by the source limiter's busiest address entry now", "id", "name");
        Family allocs = f.counter(ADDRALLOCS, "Address entries the source limiter allocated", "id", "name");
        Family nomem = f.counter(ADDRNOMEM, "Address entries the source limiter could not allocate for lack of memory", "id", "name");
        Family admitted = f.counter(ADMITTED, "States the source limiter let through", "id", "name");
        Family addr = f.counter(ADDRLIMITED, "States refused because the source limiter had no room for another address", "id", "name");
        Family hard = f.counter(HARDLIMITED, "States refused because an address entry held its limit", "id", "name");
        Family rate = f.counter(RATELIMITED, "States refused because of the per-address rate", "id", "name");
        scrape.snapshot().flatMap(s -> s.sourceLimiters().value()).ifPresent(list -> {
            for (SourceLimiter l : list) {
                List<String> key = List.of(Integer.toString(l.id()), l.name());
                entries.addMetric(key, u(l.entries()));
                limit.addMetric(key, u(l.limit()));
                rateLimit.addMetric(key, u(l.rateLimit()));
                rateSeconds.addMetric(key, u(l.rateSeconds()));
                nentries.addMetric(key, u(l.nentries()));
                inuse.addMetric(key, u(l.inuse()));
                if (l.sources().topAsked() > 0) {
                    max.addMetric(key, l.sources().top().isEmpty() ? 0 : u(l.sources().top().get(0).inuse()));
                }
                allocs.addMetric(key, u(l.addrallocs()));
                nomem.addMetric(key, u(l.addrnomem()));
                admitted.addMetric(key, u(l.admitted()));
                addr.addMetric(key, u(l.addrlimited()));
                hard.addMetric(key, u(l.hardlimited()));
                rate.addMetric(key, u(l.ratelimited()));
            }
        });
        return f.result(scrape);
    }
}
