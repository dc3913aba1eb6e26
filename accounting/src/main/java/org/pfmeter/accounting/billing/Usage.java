package org.pfmeter.accounting.billing;

/**
 * What a label or a customer used in a billing period (or up to now, for the current one).
 * Volumes are exact; rates are bits per second of 5-minute slots (see {@link Percentiles}).
 *
 * @param p95InBps   95th percentile of the inbound 5-minute rates
 * @param p95OutBps  95th percentile of the outbound 5-minute rates
 * @param peakInBps  the highest inbound 5-minute rate
 * @param peakOutBps the highest outbound 5-minute rate
 */
public record Usage(
        long bytesIn,
        long bytesOut,
        long packetsIn,
        long packetsOut,
        double p95InBps,
        double p95OutBps,
        double peakInBps,
        double peakOutBps) {

    public long bytesTotal() {
        return bytesIn + bytesOut;
    }

    public long packetsTotal() {
        return packetsIn + packetsOut;
    }

    /** The higher of the inbound and outbound 95th percentiles: the usual billing figure. */
    public double p95Bps() {
        return Math.max(p95InBps, p95OutBps);
    }

    /** The higher of the two peaks. */
    public double peakBps() {
        return Math.max(peakInBps, peakOutBps);
    }
}
