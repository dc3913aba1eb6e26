package org.pfmeter.accounting.bills;

import java.util.Locale;
import java.util.Objects;

/** How a bill charges: on the 95th percentile against a committed rate, on a quota of bytes, or volume only. */
public sealed interface BillType {

    /** The name in the bills file and in outputs: "95th", "quota", "volume". */
    String name();

    /** Which rate a 95th-percentile bill takes. */
    enum RateDirection {
        /** bytes in (pf's "in": towards the firewall on the rule's interface) */
        IN,
        OUT,
        /** the higher of the two directions' 95th percentiles (each direction sorted on its own) */
        MAX,
        /** in + out of each 5-minute interval, then the 95th percentile */
        AGGREGATE;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which bytes a quota counts. */
    enum QuotaDirection {
        IN, OUT, TOTAL;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The largest commit, 1 Pbit/s: {@code commit × 300} stays far below 2^63. */
    long MAX_COMMIT = 1_000_000_000_000_000L;

    /** @param commitBitsPerSecond the committed rate, 1 bit/s to {@link #MAX_COMMIT} */
    record Percentile95(long commitBitsPerSecond, RateDirection direction) implements BillType {
        public Percentile95 {
            Objects.requireNonNull(direction, "direction");
            if (commitBitsPerSecond < 1 || commitBitsPerSecond > MAX_COMMIT) {
                throw new IllegalArgumentException("the committed rate must be 1 bit/s to 1P (10^15 bit/s), got " + commitBitsPerSecond);
            }
        }

        @Override
        public String name() {
            return "95th";
        }
    }

    /** @param quotaBytes the bytes included in the period, at least 1 */
    record Quota(long quotaBytes, QuotaDirection direction) implements BillType {
        public Quota {
            Objects.requireNonNull(direction, "direction");
            if (quotaBytes < 1) {
                throw new IllegalArgumentException("the quota must be at least 1 byte, got " + quotaBytes);
            }
        }

        @Override
        public String name() {
            return "quota";
        }
    }

    /** Traffic only: no commit, no quota, no overage. */
    record Volume() implements BillType {
        @Override
        public String name() {
            return "volume";
        }
    }
}
