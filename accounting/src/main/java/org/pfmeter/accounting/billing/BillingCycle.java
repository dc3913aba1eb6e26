package org.pfmeter.accounting.billing;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When billing months start: a day of the month (1 to 28, so that every month has it) at local
 * midnight in a time zone. Config keys {@code billing.day} (default 1) and {@code billing.zone}
 * (default UTC). With day 15, the billing month "2026-10" runs from 15 October 00:00 to 15 November
 * 00:00 local time: a period is named after the calendar month it starts in.
 */
public record BillingCycle(int day, ZoneId zone) {

    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    public BillingCycle {
        Objects.requireNonNull(zone, "zone");
        if (day < 1 || day > 28) {
            throw new IllegalArgumentException("billing.day: " + day + " is not allowed; a billing month may start on day 1 to 28"
                    + " (every month has those days). For billing that ends with the calendar month use 1.");
        }
    }

    public static BillingCycle calendarMonthsUtc() {
        return new BillingCycle(1, ZoneId.of("UTC"));
    }

    /** Builds a cycle from config strings: {@code billing.day} and {@code billing.zone} (an IANA zone such as Europe/Berlin). */
    public static BillingCycle of(String day, String zone) {
        int d;
        try {
            d = Integer.parseInt(day.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("billing.day: '" + day + "' is not a number; allowed are 1 to 28");
        }
        ZoneId z;
        try {
            z = ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("billing.zone: '" + zone + "' is not a time zone; use an IANA name such as"
                    + " UTC or Europe/Berlin, or an offset such as +01:00");
        }
        return new BillingCycle(d, z);
    }

    /**
     * The billing month named {@code month}, in the form YYYY-MM (e.g. "2026-10").
     *
     * @throws IllegalArgumentException for any other form, naming the expected one
     */
    public BillingPeriod period(String month) {
        String m = month == null ? "" : month.trim();
        if (!MONTH.matcher(m).matches()) {
            throw new IllegalArgumentException("billing month '" + month + "' is not in the form YYYY-MM (for example 2026-10)");
        }
        try {
            return period(YearMonth.parse(m));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("billing month '" + month + "' is not a month: the month must be 01 to 12");
        }
    }

    public BillingPeriod period(YearMonth month) {
        return new BillingPeriod(this, month);
    }

    /** The billing month that contains {@code t}. */
    public BillingPeriod periodContaining(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        YearMonth m = YearMonth.from(local);
        BillingPeriod p = period(m);
        return t.isBefore(p.start()) ? period(m.minusMonths(1)) : p;
    }

    @Override
    public String toString() {
        return "billing months from day " + day + " 00:00 " + zone.getId();
    }
}
