package org.pfmeter.exporter.prometheus;

import java.util.List;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.TableStats;

/**
 * Caps on the series that grow with the ruleset: (anchor, label) pairs (and the source node groups
 * keyed by them), tables, and, when per-rule metrics are on, rules. Which ones are
 * kept is stable from poll to poll: the first {@code max} in (anchor, name) order, so a series does
 * not come and go as traffic shifts.
 */
public record SeriesLimits(int maxLabels, int maxTables, boolean rules, int maxRules) {

    public static final SeriesLimits DEFAULT = new SeriesLimits(10_000, 2_000);

    /** Per-rule metrics off (metrics.rules = false, the default). */
    public SeriesLimits(int maxLabels, int maxTables) {
        this(maxLabels, maxTables, false, 10_000);
    }

    /** The same caps with per-rule metrics on or off, capped at {@code max} rules. */
    public SeriesLimits withRules(boolean on, int max) {
        return new SeriesLimits(maxLabels, maxTables, on, max);
    }

    /**
     * The rules exported: all of them, or the first {@code maxRules} in (anchor, number) order.
     * Empty when per-rule metrics are off.
     */
    List<RuleCounters> rules(List<RuleCounters> all) {
        if (!rules) {
            return List.of();
        }
        if (all.size() <= maxRules) {
            return all;
        }
        return all.stream()
                .sorted(java.util.Comparator.comparing(RuleCounters::anchor).thenComparingInt(RuleCounters::nr))
                .limit(maxRules)
                .toList();
    }

    /** Source node groups, capped like the labels they are keyed by. */
    List<SourceNodeGroup> sourceNodeGroups(List<SourceNodeGroup> all) {
        return all.size() <= maxLabels ? all : all.subList(0, maxLabels);
    }

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
