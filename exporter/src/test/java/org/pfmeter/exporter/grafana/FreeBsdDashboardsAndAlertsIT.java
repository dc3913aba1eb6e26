package org.pfmeter.exporter.grafana;

import java.util.Map;
import java.util.Optional;

/**
 * The same dashboards and alert rules, unchanged, against {@code pfmeter run --simulate --sim-release
 * freebsd-15.0}: every panel query returns data except those for what FreeBSD 15.0's pf does not have
 * (listed with the reason), the rules load and evaluate, and the state-table flood fires the
 * state-table alerts.
 */
class FreeBsdDashboardsAndAlertsIT extends DashboardsAndAlertsIT {

    @Override
    protected Optional<String> simRelease() {
        return Optional.of("freebsd-15.0");
    }

    @Override
    protected boolean hasLimiters() {
        return false;
    }

    @Override
    protected Map<String, String> knownEmpty() {
        return Map.ofEntries(
                Map.entry("changes(pf_since_uptime_seconds{instance=~\"$instance\"}[$__range])",
                        "FreeBSD's PF_GS_SINCE is wall-clock time, not uptime"),
                Map.entry("pf_interface_states{instance=~\"$instance\", kind=\"interface\", interface=~\"$interface\"}",
                        "FreeBSD's kifs keep no state count (InterfaceCounters.statesCounted false)"),
                Map.entry("pf_interface_states{instance=~\"$instance\", kind=\"interface\", interface=~\"$interface\"} or pf_interface_states{instance=~\"$instance\", kind=\"group\"}",
                        "FreeBSD's kifs keep no state count (InterfaceCounters.statesCounted false)"),
                Map.entry("pf_limit_usage{instance=~\"$instance\", limit=\"tables\"} / pf_limit{instance=~\"$instance\", limit=\"tables\"}",
                        "FreeBSD's GET_LIMIT has no usage for the tables limit"),
                Map.entry("pf_source_limiter_entry_inuse_max{instance=~\"$instance\"} / pf_source_limiter_limit{instance=~\"$instance\"}",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("pf_source_limiter_nentries{instance=~\"$instance\"} / pf_source_limiter_entries{instance=~\"$instance\"}",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("pf_state_limiter_inuse{instance=~\"$instance\"}",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("pf_state_limiter_inuse{instance=~\"$instance\"} / pf_state_limiter_limit{instance=~\"$instance\"}",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("pf_state_limiter_limit{instance=~\"$instance\"}",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("pf_states_halfopen{instance=~\"$instance\"}",
                        "FreeBSD's GET_STATUS carries no half-open count or syncookie watermarks"),
                Map.entry("pf_syncookies_inflight{instance=~\"$instance\"}",
                        "FreeBSD's GET_STATUS carries no half-open count or syncookie watermarks"),
                Map.entry("pf_syncookies_watermark_states{instance=~\"$instance\", watermark=\"high\"}",
                        "FreeBSD's GET_STATUS carries no half-open count or syncookie watermarks"),
                Map.entry("pf_syncookies_watermark_states{instance=~\"$instance\"}",
                        "FreeBSD's GET_STATUS carries no half-open count or syncookie watermarks"),
                Map.entry("sum by (id, name) (rate(pf_source_limiter_addrlimited_total{instance=~\"$instance\"}[$__rate_interval]))",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("sum by (id, name) (rate(pf_source_limiter_hardlimited_total{instance=~\"$instance\"}[$__rate_interval]))",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("sum by (id, name) (rate(pf_source_limiter_ratelimited_total{instance=~\"$instance\"}[$__rate_interval]))",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("sum by (id, name) (rate(pf_state_limiter_hardlimited_total{instance=~\"$instance\"}[$__rate_interval]))",
                        "FreeBSD 15.0 has no state or source limiters (not present)"),
                Map.entry("sum by (id, name) (rate(pf_state_limiter_ratelimited_total{instance=~\"$instance\"}[$__rate_interval]))",
                        "FreeBSD 15.0 has no state or source limiters (not present)"));
    }
}
