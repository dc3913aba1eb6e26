package org.pfmeter.exporter.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.pfmeter.pf.model.Subsystem;

/**
 * The poller's own counters after a poll. Immutable; a new value replaces the old one atomically
 * together with the snapshot it belongs to.
 *
 * @param polls              polls done since start
 * @param successfulPolls    polls in which pf answered at least one subsystem
 * @param errors             per subsystem, polls in which it failed
 * @param lastPollAt         when the last poll started
 * @param lastPollDuration   how long it took
 * @param lastSuccessAt      when the last successful poll started, if any
 * @param rulesetChanges     how often {@code pf_chksum} differed from the previous poll's
 * @param lastPollAllocatedBytes bytes the JVM allocated on the polling thread to read and decode the
 *                           last snapshot; empty when the JVM cannot measure it
 */
public record PollStats(
        long polls,
        long successfulPolls,
        Map<Subsystem, Long> errors,
        Optional<Instant> lastPollAt,
        Duration lastPollDuration,
        Optional<Instant> lastSuccessAt,
        long rulesetChanges,
        OptionalLong lastPollAllocatedBytes) {

    public static final PollStats NONE = new PollStats(0, 0, zeros(), Optional.empty(), Duration.ZERO, Optional.empty(), 0,
            OptionalLong.empty());

    public PollStats {
        errors = Collections.unmodifiableMap(new EnumMap<>(errors));
    }

    private static Map<Subsystem, Long> zeros() {
        Map<Subsystem, Long> m = new EnumMap<>(Subsystem.class);
        for (Subsystem s : Subsystem.values()) {
            m.put(s, 0L);
        }
        return m;
    }

    public long errors(Subsystem s) {
        return errors.getOrDefault(s, 0L);
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
