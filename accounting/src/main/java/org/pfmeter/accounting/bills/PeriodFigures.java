package org.pfmeter.accounting.bills;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import org.pfmeter.accounting.billing.Percentiles;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * One bill's figures for one period: what is stored when the period closes ({@code bill_period},
 * migration V7) plus what follows from it. Every derived figure is computed from the components,
 * so a stored period prints the same figures for ever.
 *
 * @param bill        the bill's name
 * @param period      the period's name, YYYY-MM (the month it starts in)
 * @param start       the period's first instant
 * @param end         the instant after it
 * @param asOf        the figures' instant: {@code end} for a closed period, else the last poll
 * @param closed      true when the period has ended (every host polled at or after its end)
 * @param stored      true when read from {@code bill_period}, never to change
 * @param type        the bill's type when the figures were made (a stored period keeps it)
 * @param samples     the 5-minute intervals of the period (so far) in which a poll was stored
 * @param periodSlots the 5-minute intervals of the whole period
 * @param p95Bytes    95th: the bytes of the 95th-percentile interval, for the bill's direction
 *                    ({@code max}: the larger of the two directions'); else 0
 * @param aboveCommit 95th: the intervals whose rate exceeds the commit ({@code max}: the larger of
 *                    the two directions' counts); else 0
 */
public record PeriodFigures(String bill, String period, Instant start, Instant end, Instant asOf, boolean closed,
                            boolean stored, BillType type, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                            int samples, int periodSlots, long p95Bytes, int aboveCommit) {

    public PeriodFigures {
        Objects.requireNonNull(bill, "bill");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(type, "type");
    }

    public long bytesTotal() {
        return bytesIn + bytesOut;
    }

    /** The bytes a quota counts (in, out or total); all bytes for other types. */
    public long usedBytes() {
        if (type instanceof BillType.Quota q) {
            return switch (q.direction()) {
                case IN -> bytesIn;
                case OUT -> bytesOut;
                case TOTAL -> bytesTotal();
            };
        }
        return bytesTotal();
    }

    /** Quota: bytes left in the period, never negative. */
    public OptionalLong remainingBytes() {
        return type instanceof BillType.Quota q ? OptionalLong.of(Math.max(0, q.quotaBytes() - usedBytes())) : OptionalLong.empty();
    }

    /** Quota: bytes beyond the quota. */
    public OptionalLong overageBytes() {
        return type instanceof BillType.Quota q ? OptionalLong.of(Math.max(0, usedBytes() - q.quotaBytes())) : OptionalLong.empty();
    }

    /** The share of the period that has passed: 1 for a closed period. */
    public double elapsedFraction() {
        if (closed) {
            return 1;
        }
        long all = Duration.between(start, end).toMillis();
        long gone = Math.max(0, Math.min(all, Duration.between(start, asOf).toMillis()));
        return all == 0 ? 1 : (double) gone / all;
    }

    /** The used bytes at the period end at the rate so far: used ÷ elapsed fraction (used when closed or nothing elapsed). */
    public long projectedUsedBytes() {
        double f = elapsedFraction();
        return f <= 0 || f >= 1 ? usedBytes() : (long) Math.floor(usedBytes() / f);
    }

    /** Quota: the projected bytes beyond the quota. */
    public OptionalLong projectedOverageBytes() {
        return type instanceof BillType.Quota q ? OptionalLong.of(Math.max(0, projectedUsedBytes() - q.quotaBytes()))
                : OptionalLong.empty();
    }

    /** 95th: the 95th percentile as a rate, {@code p95Bytes × 8 / 300}. */
    public double p95BitsPerSecond() {
        return Percentiles.bitsPerSecond(p95Bytes);
    }

    /** 95th: the rate above the commit, bit/s; 0 at or below it. */
    public double overageBitsPerSecond() {
        return type instanceof BillType.Percentile95 p ? Math.max(0, p95BitsPerSecond() - p.commitBitsPerSecond()) : 0;
    }

    /**
     * 95th: how many intervals of the period may be above the commit with the 95th percentile still
     * at or below it: the intervals the percentile discards, {@code floor(n / 20)} of n samples (n
     * = the samples of a closed period, the period's intervals for the current one).
     */
    public int burstAllowance() {
        int n = closed ? samples : periodSlots;
        return n / 20;
    }

    /** 95th: the intervals that may still be above the commit this period: allowance − above, never negative. */
    public int burstHeadroom() {
        return Math.max(0, burstAllowance() - aboveCommit);
    }

    /** 95th: true when an interval of {@code bytes} is above {@code commitBitsPerSecond}: {@code bytes × 8 > commit × 300}. */
    public static boolean aboveCommit(long bytes, long commitBitsPerSecond) {
        return Math.multiplyHigh(bytes, 8) != 0 || bytes * 8 > commitBitsPerSecond * SlotGrid.SECONDS;
    }
}
