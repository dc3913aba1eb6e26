package org.pfmeter.exporter.prometheus;

import java.util.concurrent.atomic.AtomicLong;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.pf.model.PfSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per poll, the label, table, rule (when per-rule metrics are on) and source node group series
 * the caps leave out; warns once when it starts.
 */
final class SeriesBudget implements SnapshotListener {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesBudget.class);

    private final SeriesLimits limits;
    private final AtomicLong droppedLabels = new AtomicLong();
    private final AtomicLong droppedTables = new AtomicLong();
    private final AtomicLong droppedRules = new AtomicLong();
    private final AtomicLong droppedSourceNodeGroups = new AtomicLong();
    private boolean warnedLabels;
    private boolean warnedTables;
    private boolean warnedRules;

    SeriesBudget(SeriesLimits limits) {
        this.limits = limits;
    }

    @Override
    public void onSnapshot(PfSnapshot s, PollStats stats) {
        s.rules().value().ifPresent(r -> {
            int over = r.labels().size() - limits.maxLabels();
            if (over > 0) {
                droppedLabels.addAndGet(over);
                if (!warnedLabels) {
                    warnedLabels = true;
                    LOG.warn("{} (anchor, label) pairs exceed metrics.max-label-series = {}; {} are not exported",
                            r.labels().size(), limits.maxLabels(), over);
                }
            }
        });
        if (limits.rules()) {
            s.rules().value().ifPresent(r -> {
                int over = r.rules().size() - limits.maxRules();
                if (over > 0) {
                    droppedRules.addAndGet(over);
                    if (!warnedRules) {
                        warnedRules = true;
                        LOG.warn("{} rules exceed metrics.max-rule-series = {}; {} are not exported", r.rules().size(),
                                limits.maxRules(), over);
                    }
                }
            });
        }
        s.sourceNodes().value().ifPresent(n -> droppedSourceNodeGroups.addAndGet(Math.max(0, n.groups().size() - limits.maxLabels())));
        s.tables().value().ifPresent(t -> {
            int over = t.size() - limits.maxTables();
            if (over > 0) {
                droppedTables.addAndGet(over);
                if (!warnedTables) {
                    warnedTables = true;
                    LOG.warn("{} tables exceed metrics.max-table-series = {}; {} are not exported", t.size(),
                            limits.maxTables(), over);
                }
            }
        });
    }

    long droppedLabels() {
        return droppedLabels.get();
    }

    long droppedTables() {
        return droppedTables.get();
    }

    long droppedRules() {
        return droppedRules.get();
    }

    long droppedSourceNodeGroups() {
        return droppedSourceNodeGroups.get();
    }
}
