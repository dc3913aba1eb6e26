package org.pfmeter.exporter.jmx;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.Poller;
import org.pfmeter.exporter.poll.SnapshotHolder;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;

final class PollerBean implements PollerMXBean {

    private final Poller poller;
    private final Clock clock;

    PollerBean(Poller poller, Clock clock) {
        this.poller = poller;
        this.clock = clock;
    }

    private PollStats stats() {
        return poller.stats();
    }

    @Override
    public double getIntervalSeconds() {
        return poller.interval().toMillis() / 1000.0;
    }

    @Override
    public long getPolls() {
        return stats().polls();
    }

    @Override
    public long getSuccessfulPolls() {
        return stats().successfulPolls();
    }

    @Override
    public String getLastPollTime() {
        return stats().lastPollAt().map(Object::toString).orElse("");
    }

    @Override
    public double getLastPollDurationMillis() {
        return stats().lastPollDuration().toNanos() / 1e6;
    }

    @Override
    public String getLastSuccessfulPollTime() {
        return stats().lastSuccessAt().map(Object::toString).orElse("");
    }

    @Override
    public double getSnapshotAgeSeconds() {
        return poller.holder().latest().map(l -> l.age(clock).toNanos() / 1e9).orElse(Double.NaN);
    }

    @Override
    public long getErrors() {
        return stats().totalErrors();
    }

    @Override
    public Map<String, Long> getErrorsBySubsystem() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Subsystem s : Subsystem.values()) {
            m.put(s.label(), stats().errors(s));
        }
        return m;
    }

    @Override
    public List<String> getFailedSubsystems() {
        List<String> out = new ArrayList<>();
        poller.holder().latest().map(SnapshotHolder.Latest::snapshot).ifPresent(s -> {
            for (Map.Entry<Subsystem, PfError> e : s.errors().entrySet()) {
                out.add(e.getKey().label() + ": " + e.getValue().message());
            }
        });
        return out;
    }

    @Override
    public String pollNow() {
        PfSnapshot s = poller.pollOnce();
        Duration d = s.duration();
        int failed = s.errors().size();
        return "polled at " + s.takenAt() + " in " + d.toMillis() + " ms: "
                + (failed == 0 ? "all subsystems read" : failed + " subsystem(s) failed: " + s.errors().keySet());
    }
}
