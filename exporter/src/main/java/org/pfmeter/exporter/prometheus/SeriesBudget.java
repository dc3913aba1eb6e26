package org.pfmeter.exporter.prometheus;

import java.util.concurrent.atomic.AtomicLong;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.pf.model.PfSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts, per poll, the label and table series the caps leave out; warns once when it starts. */
final class SeriesBudget implements SnapshotListener {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesBudget.class);

    private final SeriesLimits limits;
    private final AtomicLong droppedLabels = new AtomicLong();
    private final AtomicLong droppedTables = new AtomicLong();
    private boolean warnedLabels;
    private boolean warnedTables;

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
}
