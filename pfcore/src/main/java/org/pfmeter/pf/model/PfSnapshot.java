package org.pfmeter.pf.model;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one poll read, immutable. Every metric, MBean and ledger entry of a poll derives from the
 * same snapshot, so they never disagree with each other.
 *
 * @param takenAt     when the poll started (the poller's clock)
 * @param duration    how long the poll took
 * @param abiRelease  the OpenBSD release whose layouts decoded it, e.g. "7.8"
 */
public record PfSnapshot(
        Instant takenAt,
        Duration duration,
        String abiRelease,
        SubsystemResult<Status> status,
        SubsystemResult<Limits> limits,
        SubsystemResult<Timeouts> timeouts,
        SubsystemResult<List<InterfaceCounters>> interfaces,
        SubsystemResult<Rules> rules,
        SubsystemResult<List<TableStats>> tables,
        SubsystemResult<List<QueueStats>> queues,
        SubsystemResult<SourceNodes> sourceNodes,
        SubsystemResult<List<StateLimiter>> stateLimiters,
        SubsystemResult<List<SourceLimiter>> sourceLimiters,

        SubsystemResult<PfsyncStats> pfsync,
        SubsystemResult<List<TableAddresses>> tableAddresses) {

    public SubsystemResult<?> result(Subsystem s) {
        return switch (s) {
            case STATUS -> status;
            case LIMITS -> limits;
            case TIMEOUTS -> timeouts;
            case INTERFACES -> interfaces;
            case RULES -> rules;
            case TABLES -> tables;
            case QUEUES -> queues;
            case SOURCE_NODES -> sourceNodes;
            case STATE_LIMITERS -> stateLimiters;
            case SOURCE_LIMITERS -> sourceLimiters;
            case PFSYNC -> pfsync;
            case TABLE_ADDRESSES -> tableAddresses;
        };
    }

    /** The failed subsystems and why. */
    public Map<Subsystem, PfError> errors() {
        Map<Subsystem, PfError> m = new EnumMap<>(Subsystem.class);
        for (Subsystem s : Subsystem.values()) {
            result(s).error().ifPresent(e -> m.put(s, e));
        }
        return m;
    }

    public boolean complete() {
        return errors().isEmpty();
    }

    /** Label counters, or empty when the rules could not be read. */
    public Optional<List<LabelCounters>> labels() {
        return rules.value().map(Rules::labels);
    }
}
