package org.pfmeter.accounting.billing;

/**
 * A linear projection of month-to-date volumes to the end of the billing month:
 * {@code value * period length / elapsed time}, rounded to the nearest integer.
 */
public record Projection(long bytesIn, long bytesOut, long packetsIn, long packetsOut) {

    public long bytesTotal() {
        return bytesIn + bytesOut;
    }

    public long packetsTotal() {
        return packetsIn + packetsOut;
    }

    static Projection of(Usage u, double factor) {
        return new Projection(Math.round(u.bytesIn() * factor), Math.round(u.bytesOut() * factor),
                Math.round(u.packetsIn() * factor), Math.round(u.packetsOut() * factor));
    }
}
