package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.exporter.poll.UniqueNames;

/**
 * Names pf gave more than once in the snapshot served (see {@link UniqueNames}): only the first of
 * each is exported, here and in JMX. Always 0 on a sound kernel.
 *
 * <pre>
 * pfmeter_duplicate_names{subsystem="interfaces"} 0.0
 * pfmeter_duplicate_names{subsystem="tables"} 0.0
 * </pre>
 */
final class DuplicateNamesCollector implements SubsystemCollector {

    static final String DUPLICATES = "pfmeter_duplicate_names";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family d = f.gauge(DUPLICATES, "Entries of the snapshot served whose interface or table name repeats an earlier"
                + " one; only the first of each name is exported", "subsystem");
        scrape.snapshot().ifPresent(s -> UniqueNames.duplicates(s)
                .forEach((sub, n) -> d.addMetric(List.of(sub.label()), n)));
        return f.result(scrape);
    }
}
