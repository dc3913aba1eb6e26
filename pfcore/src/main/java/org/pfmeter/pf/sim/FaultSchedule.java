package org.pfmeter.pf.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Faults planned at simulated offsets from the simulator's start, for the command line and for
 * long simulations ({@link SimulatedPf#schedule}).
 *
 * <p>Syntax: comma-separated entries {@code FAULT@OFFSET[+DURATION]}, where FAULT is a
 * {@link Fault#cliName()} and OFFSET and DURATION are whole numbers with units {@code d}, {@code h},
 * {@code m}, {@code s}, combinable ({@code 1h30m}, {@code 90s}, {@code 2d}). A lasting fault
 * ({@link Fault#lasting()}) with a duration is cleared when it has elapsed, without one it lasts to
 * the end; an instant fault takes no duration.
 *
 * <pre>
 * ruleset-reload@30m,eacces@2h+5m,state-ramp@1d+20m,interface-vanish@3h,interface-appear@3h10m
 * </pre>
 */
public record FaultSchedule(List<Entry> entries) {

    /** One planned fault: at {@code at} after the start, for {@code duration} if lasting. */
    public record Entry(Fault fault, Duration at, Optional<Duration> duration) {
        public Entry {
            if (at.isNegative()) {
                throw new IllegalArgumentException("a fault cannot happen before the simulator starts: " + at);
            }
            if (duration.isPresent() && !fault.lasting()) {
                throw new IllegalArgumentException(fault.cliName() + " happens at an instant and takes no duration");
            }
            if (duration.isPresent() && (duration.get().isZero() || duration.get().isNegative())) {
                throw new IllegalArgumentException(fault.cliName() + ": duration must be positive");
            }
        }

        @Override
        public String toString() {
            return fault.cliName() + "@" + format(at) + duration.map(d -> "+" + format(d)).orElse("");
        }
    }

    public static final FaultSchedule NONE = new FaultSchedule(List.of());

    private static final Pattern ENTRY = Pattern.compile("([a-z0-9_-]+)@([0-9dhms]+)(?:\\+([0-9dhms]+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PART = Pattern.compile("([0-9]+)([dhms])");

    public FaultSchedule {
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code "ruleset-reload@30m,eacces@2h+5m"}; a blank string is no fault. Errors name the
     * entry and what is wrong with it.
     */
    public static FaultSchedule parse(String spec) {
        List<Entry> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        for (String raw : spec.split(",")) {
            String e = raw.trim();
            Matcher m = ENTRY.matcher(e);
            if (!m.matches()) {
                throw new IllegalArgumentException("fault schedule entry '" + e
                        + "' is not FAULT@OFFSET[+DURATION], e.g. ruleset-reload@30m or eacces@2h+5m");
            }
            Fault f = Fault.parse(m.group(1));
            Duration at = duration(m.group(2), e);
            Optional<Duration> d = m.group(3) == null ? Optional.empty() : Optional.of(duration(m.group(3), e));
            try {
                out.add(new Entry(f, at, d));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("fault schedule entry '" + e + "': " + x.getMessage(), x);
            }
        }
        return new FaultSchedule(out);
    }

    /** "1h30m", "90s", "2d": whole units d, h, m, s. */
    static Duration duration(String s, String entry) {
        Matcher m = PART.matcher(s);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
        }
        if (end != s.length() || s.isEmpty()) {
            throw new IllegalArgumentException("fault schedule entry '" + entry + "': '" + s
                    + "' is not a duration such as 30s, 5m, 2h, 1d or 1h30m");
        }
        return d;
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        StringBuilder b = new StringBuilder();
        long[] units = {86_400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                b.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return b.length() == 0 ? "0s" : b.toString();
    }

    @Override
    public String toString() {
        return entries.stream().map(Entry::toString).collect(Collectors.joining(","));
    }
}
