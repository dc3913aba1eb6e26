package org.pfmeter.exporter.prometheus;

import java.time.Instant;
import java.util.Optional;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * What one scrape is made of, pinned once so that every family of the scrape comes from the same
 * snapshot.
 *
 * @param snapshot the latest snapshot, empty before the first poll
 * @param now      the scrape's time (for the snapshot's age)
 * @param bootTime when the pf host booted, if known
 * @param describe list every family, even those without samples (for the registry's name index)
 */
record Scrape(Optional<PfSnapshot> snapshot, PollStats stats, Instant now, Optional<Instant> bootTime, SeriesLimits limits,
              boolean describe) {

    Scrape(Optional<PfSnapshot> snapshot, PollStats stats, Instant now, Optional<Instant> bootTime, SeriesLimits limits) {
        this(snapshot, stats, now, bootTime, limits, false);
    }
}
