package org.pfmeter.accounting.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * One billing month: {@code [start, end)}, from local midnight of the cycle's day in the month it is
 * named after to the same instant a month later. DST is honoured: a month with a DST change is an
 * hour shorter or longer.
 */
public record BillingPeriod(BillingCycle cycle, YearMonth month) {

    public BillingPeriod {
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(month, "month");
    }

    public ZonedDateTime startLocal() {
        return month.atDay(cycle.day()).atStartOfDay(cycle.zone());
    }

    public ZonedDateTime endLocal() {
        return month.plusMonths(1).atDay(cycle.day()).atStartOfDay(cycle.zone());
    }

    public Instant start() {
        return startLocal().toInstant();
    }

    public Instant end() {
        return endLocal().toInstant();
    }

    public Duration length() {
        return Duration.between(start(), end());
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start()) && t.isBefore(end());
    }

    public BillingPeriod next() {
        return new BillingPeriod(cycle, month.plusMonths(1));
    }

    public BillingPeriod previous() {
        return new BillingPeriod(cycle, month.minusMonths(1));
    }

    /** "2026-10". */
    public String name() {
        return month.toString();
    }

    @Override
    public String toString() {
        return name() + " [" + startLocal().toOffsetDateTime() + ", " + endLocal().toOffsetDateTime() + ") " + cycle.zone().getId();
    }
}
