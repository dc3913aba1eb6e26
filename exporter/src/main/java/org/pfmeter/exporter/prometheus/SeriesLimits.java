package org.pfmeter.exporter.prometheus;

import java.util.List;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.TableStats;

/**
 * Caps on the series that grow with the ruleset: (anchor, label) pairs and tables. Which ones are
 * kept is stable from poll to poll: the first {@code max} in (anchor, name) order, so a series does
 * not come and go as traffic shifts.
 */
public record SeriesLimits(int maxLabels, int maxTables) {

    public static final SeriesLimits DEFAULT = new SeriesLimits(10_000, 2_000);

    /** Labels arrive sorted by (anchor, label) from the reader. */
    List<LabelCounters> labels(List<LabelCounters> all) {
        return all.size() <= maxLabels ? all : all.subList(0, maxLabels);
    }

    List<TableStats> tables(List<TableStats> all) {
        if (all.size() <= maxTables) {
            return all;
        }
        return all.stream()
                .sorted(java.util.Comparator.comparing(TableStats::anchor).thenComparing(TableStats::name))
                .limit(maxTables)
                .toList();
    }
}
