package org.pfmeter.exporter.jmx;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import org.pfmeter.exporter.config.JmxConfig;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.KernelCounters;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class LimitsBean extends NotificationBroadcasterSupport implements LimitsMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(LimitsBean.class);

    private final JmxConfig config;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Map<String, Long> limits = Map.of();
    private volatile Map<String, Long> usage = Map.of();
    private volatile double percent = Double.NaN;
    private volatile StateTableLevel level = StateTableLevel.NORMAL;

    LimitsBean(JmxConfig config) {
        super(new MBeanNotificationInfo(new String[] {JmxNotifications.STATES_WARNING, JmxNotifications.STATES_CRITICAL,
                JmxNotifications.STATES_NORMAL}, Notification.class.getName(),
                "state-table usage crossed a threshold (with hysteresis)"));
        this.config = config;
    }

    void update(PfSnapshot s, Object source) {
        s.limits().value().ifPresent(l -> {
            Map<String, Long> m = new LinkedHashMap<>();
            for (KernelCounters.Entry p : l.values().entries()) {
                m.put(p.name().kernelName(), p.value());
            }
            limits = m;
        });
        Map<String, Long> u = new LinkedHashMap<>(usage);
        s.status().value().ifPresent(st -> {
            u.put(PfLimit.STATES.kernelName(), st.states());
            u.put(PfLimit.SRC_NODES.kernelName(), st.srcNodes());
            st.fragments().ifPresent(v -> u.put(PfLimit.FRAGS.kernelName(), v));
        });
        s.tables().value().ifPresent(t -> {
            u.put(PfLimit.TABLES.kernelName(), (long) t.size());
            u.put(PfLimit.TABLE_ENTRIES.kernelName(), t.stream().mapToLong(TableStats::addresses).sum());
        });
        s.rules().value().ifPresent(r -> u.put(PfLimit.ANCHORS.kernelName(), r.anchors().stream().filter(a -> !a.isEmpty()).count()));
        usage = u;

        if (s.status().isOk() && s.limits().isOk()) {
            Limits l = s.limits().value().orElseThrow();
            long states = s.status().value().orElseThrow().states();
            if (l.isUnlimited(PfLimit.STATES) || l.get(PfLimit.STATES) == 0) {
                percent = 0;
            } else {
                percent = 100.0 * states / l.get(PfLimit.STATES);
            }
            StateTableLevel before = level;
            StateTableLevel after = before.next(percent, config.statesWarningPercent(), config.statesCriticalPercent(),
                    config.statesHysteresisPercent());
            if (after != before) {
                level = after;
                notifyLevel(before, after, states, l.get(PfLimit.STATES), s, source);
            }
        }
    }

    private void notifyLevel(StateTableLevel before, StateTableLevel after, long states, long limit, PfSnapshot s, Object source) {
        String type = switch (after) {
            case CRITICAL -> JmxNotifications.STATES_CRITICAL;
            case WARNING -> JmxNotifications.STATES_WARNING;
            case NORMAL -> JmxNotifications.STATES_NORMAL;
        };
        String msg = String.format("state table %.1f%% full (%d of %d states): %s, was %s (warning at %.0f%%, critical at %.0f%%, hysteresis %.0f points)",
                percent, states, limit, after.name().toLowerCase(java.util.Locale.ROOT),
                before.name().toLowerCase(java.util.Locale.ROOT), config.statesWarningPercent(),
                config.statesCriticalPercent(), config.statesHysteresisPercent());
        if (after.compareTo(before) > 0) {
            LOG.warn(msg);
        } else {
            LOG.info(msg);
        }
        Notification n = new Notification(type, source, sequence.incrementAndGet(), s.takenAt().toEpochMilli(), msg);
        Map<String, Object> data = new HashMap<>();
        data.put("states", states);
        data.put("limit", limit);
        data.put("usagePercent", percent);
        data.put("level", after.name());
        data.put("previousLevel", before.name());
        n.setUserData(data);
        sendNotification(n);
    }

    @Override
    public Map<String, Long> getLimits() {
        return limits;
    }

    @Override
    public Map<String, Long> getUsage() {
        return usage;
    }

    @Override
    public double getStateTableUsagePercent() {
        return percent;
    }

    @Override
    public String getStateTableLevel() {
        return level.name();
    }

    @Override
    public double getWarningPercent() {
        return config.statesWarningPercent();
    }

    @Override
    public double getCriticalPercent() {
        return config.statesCriticalPercent();
    }

    @Override
    public double getHysteresisPercent() {
        return config.statesHysteresisPercent();
    }
}
