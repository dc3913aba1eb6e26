package org.pfmeter.exporter.jmx;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;

final class StatusBean extends NotificationBroadcasterSupport implements StatusMXBean {

    private record Value(Status status, boolean available, Instant takenAt, Optional<Instant> boot, long rulesetChanges) {
    }

    private static final String[] DEBUG_LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final AtomicLong sequence = new AtomicLong();
    private volatile Value value;

    StatusBean() {
        super(new MBeanNotificationInfo(new String[] {JmxNotifications.RULESET_CHANGED}, Notification.class.getName(),
                "the ruleset's checksum changed"));
    }

    /** Takes a poll's status; sends a notification when the checksum changed since the previous one. */
    void update(Optional<Status> status, Instant takenAt, Optional<Instant> boot, long rulesetChanges, Object source) {
        Value before = value;
        if (status.isPresent()) {
            value = new Value(status.get(), true, takenAt, boot, rulesetChanges);
            if (before != null && !before.status().checksum().equals(status.get().checksum())) {
                Notification n = new Notification(JmxNotifications.RULESET_CHANGED, source, sequence.incrementAndGet(),
                        takenAt.toEpochMilli(), "ruleset changed: checksum " + before.status().checksum() + " -> "
                        + status.get().checksum());
                Map<String, Object> data = new HashMap<>();
                data.put("previousChecksum", before.status().checksum());
                data.put("checksum", status.get().checksum());
                n.setUserData(data);
                sendNotification(n);
            }
        } else if (before != null) {
            value = new Value(before.status(), false, before.takenAt(), before.boot(), rulesetChanges);
        }
    }

    /** A field the platform's kernel does not report reads as 0 here: MXBean attributes are primitive. */
    private static Optional<Long> boxed(java.util.OptionalLong v) {
        return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
    }

    private Optional<Status> st() {
        Value v = value;
        return v == null ? Optional.empty() : Optional.of(v.status());
    }

    @Override
    public boolean isAvailable() {
        Value v = value;
        return v != null && v.available();
    }

    @Override
    public boolean isRunning() {
        return st().map(Status::running).orElse(false);
    }

    @Override
    public long getSince() {
        return st().map(Status::since).orElse(0L);
    }

    @Override
    public String getStartTime() {
        Value v = value;
        if (v == null) {
            return "";
        }
        if (v.status().sinceClock() == SinceClock.WALL_CLOCK) {
            return Instant.ofEpochSecond(v.status().since()).toString();
        }
        if (v.boot().isEmpty()) {
            return "";
        }
        return v.boot().get().plusSeconds(v.status().since()).toString();
    }

    @Override
    public long getStates() {
        return st().map(Status::states).orElse(0L);
    }

    @Override
    public long getStatesHalfopen() {
        return st().flatMap(s -> boxed(s.statesHalfopen())).orElse(0L);
    }

    @Override
    public long getSrcNodes() {
        return st().map(Status::srcNodes).orElse(0L);
    }

    @Override
    public long getFragments() {
        return st().flatMap(s -> boxed(s.fragments())).orElse(0L);
    }

    @Override
    public String getChecksum() {
        return st().map(Status::checksum).orElse("");
    }

    @Override
    public long getRulesetChanges() {
        Value v = value;
        return v == null ? 0 : v.rulesetChanges();
    }

    @Override
    public String getHostid() {
        return st().map(s -> String.format("0x%08x", Integer.reverseBytes((int) s.hostid()))).orElse("");
    }

    @Override
    public String getDebug() {
        return st().map(s -> s.debug() >= 0 && s.debug() < DEBUG_LEVELS.length ? DEBUG_LEVELS[s.debug()] : Integer.toString(s.debug()))
                .orElse("");
    }

    @Override
    public boolean isSyncookiesActive() {
        return st().map(Status::syncookiesActive).orElse(false);
    }

    @Override
    public String getSyncookiesMode() {
        return st().flatMap(Status::syncookiesMode).map(m -> m.kernelName()).orElse("");
    }

    @Override
    public Map<String, java.math.BigInteger> getCounters() {
        return st().map(s -> Maps.byKernelName(s.counters())).orElse(Map.of());
    }

    @Override
    public Map<String, java.math.BigInteger> getLimitCounters() {
        return st().map(s -> Maps.byKernelName(s.limitCounters())).orElse(Map.of());
    }

    @Override
    public Map<String, java.math.BigInteger> getStateOperations() {
        return st().map(s -> Maps.byKernelName(s.stateOperations())).orElse(Map.of());
    }

    @Override
    public String getSnapshotTime() {
        Value v = value;
        return v == null ? "" : v.takenAt().toString();
    }
}
