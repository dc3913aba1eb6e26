package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.QueueStats;

/**
 * Queues (DIOCGETQUEUES + DIOCGETQSTATS, {@code pfctl -sq -v}): HFSC classes and stand-alone
 * FQ-CoDel queues, per (queue, interface).
 *
 * <pre>
 * pf_queue_transmitted_bytes_total{queue="std",interface="em0"} 8.8e8
 * pf_queue_length{queue="std",interface="em0"} 0.0
 * pf_queue_limit{queue="std",interface="em0"} 50.0
 * </pre>
 */
final class QueuesCollector implements SubsystemCollector {

    static final String TX_PACKETS = "pf_queue_transmitted_packets_total";
    static final String TX_BYTES = "pf_queue_transmitted_bytes_total";
    static final String DROP_PACKETS = "pf_queue_dropped_packets_total";
    static final String DROP_BYTES = "pf_queue_dropped_bytes_total";
    static final String LENGTH = "pf_queue_length";
    static final String LIMIT = "pf_queue_limit";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family txp = f.counter(TX_PACKETS, "Packets the queue transmitted", "queue", "interface");
        Family txb = f.counter(TX_BYTES, "Bytes the queue transmitted", "queue", "interface");
        Family dp = f.counter(DROP_PACKETS, "Packets the queue dropped", "queue", "interface");
        Family db = f.counter(DROP_BYTES, "Bytes the queue dropped", "queue", "interface");
        Family length = f.gauge(LENGTH, "Packets waiting in the queue", "queue", "interface");
        Family limit = f.gauge(LIMIT, "Queue length limit (qlimit), in packets", "queue", "interface");
        scrape.snapshot().flatMap(s -> s.queues().value()).ifPresent(list -> {
            for (QueueStats q : list) {
                List<String> key = List.of(q.name(), q.ifname());
                txp.addMetric(key, u(q.transmittedPackets()));
                txb.addMetric(key, u(q.transmittedBytes()));
                dp.addMetric(key, u(q.droppedPackets()));
                db.addMetric(key, u(q.droppedBytes()));
                length.addMetric(key, u(q.length()));
                limit.addMetric(key, u(q.limit()));
            }
        });
        return f.result(scrape);
    }
}
