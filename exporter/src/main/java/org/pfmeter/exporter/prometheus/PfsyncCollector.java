package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.PfsyncCounter;
import org.pfmeter.pf.model.PfsyncStats;

/**
 * pfsync's protocol counters ({@code sysctl net.inet.pfsync.stats}, {@code netstat -s -p pfsync}),
 * one family per line netstat prints, named after its words; received and sent packets carry
 * {@code af}. Absent when pfsync is not configured (then {@code pfmeter_subsystem_present{subsystem="pfsync"}} is 0).
 *
 * <pre>
 * pf_pfsync_packets_received_total{af="inet"} 1204.0
 * pf_pfsync_packets_discarded_bad_ttl_total 0.0
 * pf_pfsync_packets_sent_total{af="inet"} 88412.0
 * </pre>
 */
final class PfsyncCollector implements SubsystemCollector {

    static final String RECEIVED = "pf_pfsync_packets_received_total";
    static final String SENT = "pf_pfsync_packets_sent_total";
    static final String BAD_INTERFACE = "pf_pfsync_packets_discarded_bad_interface_total";
    static final String BAD_TTL = "pf_pfsync_packets_discarded_bad_ttl_total";
    static final String SHORTER_THAN_HEADER = "pf_pfsync_packets_shorter_than_header_total";
    static final String BAD_VERSION = "pf_pfsync_packets_discarded_bad_version_total";
    static final String BAD_HMAC = "pf_pfsync_packets_discarded_bad_hmac_total";
    static final String BAD_ACTION = "pf_pfsync_packets_discarded_bad_action_total";
    static final String SHORT_PACKET = "pf_pfsync_packets_discarded_short_packet_total";
    static final String BAD_VALUES = "pf_pfsync_states_discarded_bad_values_total";
    static final String STALE = "pf_pfsync_stale_states_total";
    static final String FAILED_LOOKUP_INSERT = "pf_pfsync_failed_state_lookups_inserts_total";
    static final String SEND_NO_MEMORY = "pf_pfsync_send_failed_mbuf_memory_error_total";
    static final String SEND_ERRORS = "pf_pfsync_send_errors_total";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family received = f.counter(RECEIVED, "pfsync packets received, by the address family they came in (netstat -s -p pfsync)", "af");
        Family badIf = single(f, BAD_INTERFACE, PfsyncCounter.BADIF);
        Family badTtl = single(f, BAD_TTL, PfsyncCounter.BADTTL);
        Family hdrops = single(f, SHORTER_THAN_HEADER, PfsyncCounter.HDROPS);
        Family badVer = single(f, BAD_VERSION, PfsyncCounter.BADVER);
        Family badAuth = single(f, BAD_HMAC, PfsyncCounter.BADAUTH);
        Family badAct = single(f, BAD_ACTION, PfsyncCounter.BADACT);
        Family badLen = single(f, SHORT_PACKET, PfsyncCounter.BADLEN);
        Family badVal = single(f, BAD_VALUES, PfsyncCounter.BADVAL);
        Family stale = single(f, STALE, PfsyncCounter.STALE);
        Family badState = single(f, FAILED_LOOKUP_INSERT, PfsyncCounter.BADSTATE);
        Family sent = f.counter(SENT, "pfsync packets sent, by the address family they went out", "af");
        Family noMem = single(f, SEND_NO_MEMORY, PfsyncCounter.ONOMEM);
        Family errors = single(f, SEND_ERRORS, PfsyncCounter.OERRORS);
        scrape.snapshot().flatMap(s -> s.pfsync().value()).ifPresent((PfsyncStats p) -> {
            received.addMetric(List.of("inet"), u(p.get(PfsyncCounter.IPACKETS)));
            received.addMetric(List.of("inet6"), u(p.get(PfsyncCounter.IPACKETS6)));
            sent.addMetric(List.of("inet"), u(p.get(PfsyncCounter.OPACKETS)));
            sent.addMetric(List.of("inet6"), u(p.get(PfsyncCounter.OPACKETS6)));
            badIf.addMetric(List.of(), u(p.get(PfsyncCounter.BADIF)));
            badTtl.addMetric(List.of(), u(p.get(PfsyncCounter.BADTTL)));
            hdrops.addMetric(List.of(), u(p.get(PfsyncCounter.HDROPS)));
            badVer.addMetric(List.of(), u(p.get(PfsyncCounter.BADVER)));
            badAuth.addMetric(List.of(), u(p.get(PfsyncCounter.BADAUTH)));
            badAct.addMetric(List.of(), u(p.get(PfsyncCounter.BADACT)));
            badLen.addMetric(List.of(), u(p.get(PfsyncCounter.BADLEN)));
            badVal.addMetric(List.of(), u(p.get(PfsyncCounter.BADVAL)));
            stale.addMetric(List.of(), u(p.get(PfsyncCounter.STALE)));
            badState.addMetric(List.of(), u(p.get(PfsyncCounter.BADSTATE)));
            noMem.addMetric(List.of(), u(p.get(PfsyncCounter.ONOMEM)));
            errors.addMetric(List.of(), u(p.get(PfsyncCounter.OERRORS)));
        });
        return f.result(scrape);
    }

    /** A family of one sample, helped with netstat's own words. */
    private static Family single(Families f, String name, PfsyncCounter c) {
        return f.counter(name, "pfsync: " + c.netstat() + " (" + c.kernelName() + ")");
    }
}
