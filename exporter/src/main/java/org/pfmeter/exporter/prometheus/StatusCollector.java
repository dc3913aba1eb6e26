package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.KernelCounters;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SyncookieMode;

/**
 * {@code struct pf_status} (DIOCGETSTATUS) and the syncookie watermarks.
 *
 * <pre>
 * pf_up 1.0
 * pf_packets_total{reason="state_mismatch"} 42.0
 * pf_limit_events_total{event="max_src_states"} 0.0
 * pf_state_operations_total{operation="inserts"} 123456.0
 * pf_states 812.0
 * pf_syncookies_mode{mode="adaptive"} 1.0
 * pf_ruleset_info{checksum="0123456789abcdef0123456789abcdef"} 1.0
 * pf_loginterface_bytes_total{interface="em0",af="inet",direction="in"} 9.87e9
 * </pre>
 */
final class StatusCollector implements SubsystemCollector {

    static final String UP = "pf_up";
    static final String START_TIME = "pf_start_time_seconds";
    static final String SINCE = "pf_since_uptime_seconds";
    static final String PACKETS = "pf_packets_total";
    static final String LIMIT_EVENTS = "pf_limit_events_total";
    static final String STATE_OPERATIONS = "pf_state_operations_total";
    static final String SRC_NODE_OPERATIONS = "pf_src_node_operations_total";
    static final String FRAGMENT_OPERATIONS = "pf_fragment_operations_total";
    static final String STATES = "pf_states";
    static final String STATES_HALFOPEN = "pf_states_halfopen";
    static final String SRC_NODES = "pf_src_nodes";
    static final String FRAGMENTS = "pf_fragments";
    static final String SYNCOOKIES_MODE = "pf_syncookies_mode";
    static final String SYNCOOKIES_ACTIVE = "pf_syncookies_active";
    static final String SYNCOOKIES_INFLIGHT = "pf_syncookies_inflight";
    static final String SYNCOOKIES_WATERMARK = "pf_syncookies_watermark_states";
    static final String RULESET_INFO = "pf_ruleset_info";
    static final String RULESET_CHANGES = "pf_ruleset_changes_total";
    static final String INFO = "pf_info";
    static final String LOGIF_PACKETS = "pf_loginterface_packets_total";
    static final String LOGIF_BYTES = "pf_loginterface_bytes_total";

    /** syslog levels as pfctl names {@code pf_status.debug}. */
    private static final String[] DEBUG_LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family up = f.gauge(UP, "1 when pf is enabled (pfctl -e), 0 when disabled");
        Family start = f.gauge(START_TIME, "Unix time when pf was last enabled or disabled: boot time + pf_status.since");
        Family since = f.gauge(SINCE, "Kernel uptime in seconds when pf was last enabled or disabled (pf_status.since)");
        Family packets = f.counter(PACKETS, "Packets pf counted per reason, as the PFRES names (pfctl -si Counters)", "reason");
        Family limits = f.counter(LIMIT_EVENTS, "Times a limit was hit, as the LCNT names (pfctl -si -v Limit Counters)", "event");
        Family stateOps = f.counter(STATE_OPERATIONS, "State table searches, inserts and removals", "operation");
        Family srcOps = f.counter(SRC_NODE_OPERATIONS, "Source tracking table searches, inserts and removals", "operation");
        Family fragOps = f.counter(FRAGMENT_OPERATIONS, "Fragment table searches, inserts and removals", "operation");
        Family states = f.gauge(STATES, "States in the state table");
        Family halfopen = f.gauge(STATES_HALFOPEN, "Half-open TCP states");
        Family srcNodes = f.gauge(SRC_NODES, "Source tracking nodes");
        Family fragments = f.gauge(FRAGMENTS, "Fragment entries awaiting reassembly");
        Family cookieMode = f.gauge(SYNCOOKIES_MODE, "1 for the configured syncookies mode (never, always, adaptive), 0 for the others", "mode");
        Family cookieActive = f.gauge(SYNCOOKIES_ACTIVE, "1 while syncookies are being sent");
        Family cookieInflight = f.gauge(SYNCOOKIES_INFLIGHT, "Syncookies sent and not yet answered, both key epochs");
        Family watermark = f.gauge(SYNCOOKIES_WATERMARK, "Adaptive syncookies start (high) and end (low) watermarks, in states", "watermark");
        Family ruleset = f.gauge(RULESET_INFO, "The loaded ruleset's checksum (pf_chksum); always 1", "checksum");
        Family changes = f.counter(RULESET_CHANGES, "Ruleset checksum changes seen between polls since pfmeter started");
        Family info = f.gauge(INFO, "pf's host id and debug level; always 1", "hostid", "debug");
        Family logPackets = f.counter(LOGIF_PACKETS,
                "Packets on the loginterface (set loginterface) by address family, direction and action", "interface", "af", "direction", "action");
        Family logBytes = f.counter(LOGIF_BYTES,
                "Bytes on the loginterface (set loginterface) by address family and direction", "interface", "af", "direction");

        scrape.snapshot().flatMap(s -> s.status().value()).ifPresent(st -> {
            up.addMetric(List.of(), st.running() ? 1 : 0);
            if (st.sinceClock() == SinceClock.UPTIME) {
                since.addMetric(List.of(), u(st.since()));
            }
            st.startEpochSecond(scrape.bootTime()).ifPresent(t -> start.addMetric(List.of(), u(t)));
            enumCounters(packets, st.counters());
            enumCounters(limits, st.limitCounters());
            enumCounters(stateOps, st.stateOperations());
            enumCounters(srcOps, st.srcNodeOperations());
            enumCounters(fragOps, st.fragmentOperations());
            states.addMetric(List.of(), u(st.states()));
            st.statesHalfopen().ifPresent(v -> halfopen.addMetric(List.of(), u(v)));
            srcNodes.addMetric(List.of(), u(st.srcNodes()));
            st.fragments().ifPresent(v -> fragments.addMetric(List.of(), u(v)));
            st.syncookiesMode().ifPresent(mode -> {
                for (SyncookieMode m : SyncookieMode.values()) {
                    cookieMode.addMetric(List.of(m.labelValue()), mode == m ? 1 : 0);
                }
            });
            cookieActive.addMetric(List.of(), st.syncookiesActive() ? 1 : 0);
            st.syncookiesInflightTotal().ifPresent(v -> cookieInflight.addMetric(List.of(), u(v)));
            st.syncookieHiwat().ifPresent(v -> watermark.addMetric(List.of("high"), u(v)));
            st.syncookieLowat().ifPresent(v -> watermark.addMetric(List.of("low"), u(v)));
            ruleset.addMetric(List.of(st.checksum()), 1);
            changes.addMetric(List.of(), scrape.stats().rulesetChanges());
            info.addMetric(List.of(hostid(st), debugLevel(st.debug())), 1);
            logInterface(st.logInterface(), logPackets, logBytes);
        });
        return f.result(scrape);
    }

    /** As pfctl prints it: 0x%08x of ntohl(hostid). */
    static String hostid(Status st) {
        return String.format("0x%08x", Integer.reverseBytes((int) st.hostid()));
    }

    static String debugLevel(int level) {
        return level >= 0 && level < DEBUG_LEVELS.length ? DEBUG_LEVELS[level] : Integer.toString(level);
    }

    /** One sample per counter of the kernel's table, labelled with the kernel's name for it. */
    private static void enumCounters(Family fam, KernelCounters c) {
        for (KernelCounters.Entry e : c.entries()) {
            fam.addMetric(List.of(e.name().labelValue()), u(e.value()));
        }
    }

    private static void logInterface(LogInterface li, Family packets, Family bytes) {
        if (li.isUnset()) {
            return;
        }
        for (AddressFamily af : AddressFamily.values()) {
            for (Direction dir : Direction.values()) {
                for (Action a : Action.values()) {
                    packets.addMetric(List.of(li.ifname(), af.labelValue(), dir.labelValue(), a.labelValue()),
                            u(li.counters().packets(af, dir, a)));
                }
                bytes.addMetric(List.of(li.ifname(), af.labelValue(), dir.labelValue()), u(li.bytes(af, dir)));
            }
        }
    }
}
