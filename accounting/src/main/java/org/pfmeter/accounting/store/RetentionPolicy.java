package org.pfmeter.accounting.store;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How long usage data is kept. Config key {@code accounting.retention.5m}: a number of days
 * ({@code 400d}), an ISO-8601 duration ({@code P400D}) or {@code forever}. Default: 400 days (enough
 * for the 95th percentile of any month within the last 13). The sealed days, the poll slots and the
 * ledger's audit trail ({@code ledger_event}) follow the 5-minute data.
 *
 * <p>Within that, config key {@code accounting.five-minute-retention} (default 3 days, or
 * {@code forever}): how long the 5-minute rows of sealed days are kept beside the sealed days, which
 * hold their packets and bytes ({@link SealedRowRetention}).
 */
public final class RetentionPolicy {

    public static final Duration DEFAULT_FIVE_MINUTES = Duration.ofDays(400);

    private final Map<UsageLevel, Optional<Duration>> keep;
    private final Optional<Duration> sealedRows;

    private RetentionPolicy(Map<UsageLevel, Optional<Duration>> keep, Optional<Duration> sealedRows) {
        this.keep = keep;
        this.sealedRows = sealedRows;
    }

    public static RetentionPolicy defaults() {
        Map<UsageLevel, Optional<Duration>> m = new EnumMap<>(UsageLevel.class);
        m.put(UsageLevel.FIVE_MINUTES, Optional.of(DEFAULT_FIVE_MINUTES));
        return new RetentionPolicy(m, Optional.of(SealedRowRetention.DEFAULT_KEEP));
    }

    /** How long the 5-minute rows of sealed days are kept (empty: as long as the 5-minute level). */
    public Optional<Duration> sealedFiveMinuteRows() {
        return sealedRows;
    }

    /**
     * A copy that keeps the 5-minute rows of sealed days for {@code value}: "3d", "P3D", "36h", "0d"
     * (deleted as soon as the day is sealed) or "forever".
     *
     * @param key names the setting in the error
     */
    public RetentionPolicy withSealedFiveMinuteRows(String key, String value) {
        return new RetentionPolicy(keep, parse(key, value));
    }

    /** A copy that keeps {@code level} for {@code d} (empty: forever). */
    public RetentionPolicy with(UsageLevel level, Optional<Duration> d) {
        Objects.requireNonNull(d, "d");
        d.ifPresent(x -> {
            if (x.compareTo(level.length()) < 0) {
                throw new IllegalArgumentException("accounting.retention." + level.configName() + ": " + x
                        + " is shorter than one " + level.configName() + " bucket");
            }
        });
        Map<UsageLevel, Optional<Duration>> m = new EnumMap<>(keep);
        m.put(level, d);
        return new RetentionPolicy(m, sealedRows);
    }

    /** A copy with {@code level} set from a config value: "400d", "P400D", "36h" or "forever". */
    public RetentionPolicy with(UsageLevel level, String value) {
        return with(level, parse("accounting.retention." + level.configName(), value));
    }

    public Optional<Duration> keep(UsageLevel level) {
        return keep.get(level);
    }

    /**
     * A retention value as the config gives it: "400d", "P400D", "36h" or "forever" (empty).
     *
     * @param key names the setting in the error
     * @throws IllegalArgumentException for anything else, saying what is allowed
     */
    public static Optional<Duration> parse(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("forever")) {
            return Optional.empty();
        }
        try {
            if (v.matches("\\d+d")) {
                return Optional.of(Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1))));
            }
            if (v.matches("\\d+h")) {
                return Optional.of(Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))));
            }
            return Optional.of(Duration.parse(value.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a retention; use a number of days"
                    + " such as 400d, hours such as 36h, an ISO-8601 duration such as P400D, or forever");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("retention");
        for (UsageLevel l : UsageLevel.values()) {
            s.append(' ').append(l.configName()).append('=').append(keep(l).map(Duration::toString).orElse("forever"));
        }
        s.append(" sealed-5m=").append(sealedRows.map(Duration::toString).orElse("forever"));
        return s.toString();
    }
}
