package org.pfmeter.pf.states;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.abi.StateTableSource;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.StateTableBreakdown;

/**
 * Reads pf's state table and aggregates it into a {@link StateTableBreakdown}, or skips it when it
 * holds more states than the bound. The state's rule numbers are named through the rules of the
 * latest rule walk passed in (kept until the next one differs). The native buffer and the counting
 * tables are kept between reads: reading a table of any size takes the same heap.
 */
public final class StateBreakdownReader {

    /** What one read gave. */
    public sealed interface Outcome permits Read, Skipped, Failed {
        Instant at();
    }

    public record Read(Instant at, StateTableBreakdown breakdown) implements Outcome {
    }

    /** The table held {@code states}, more than {@code bound}: only its size was asked. */
    public record Skipped(Instant at, long states, long bound) implements Outcome {
    }

    public record Failed(Instant at, PfError error) implements Outcome {
    }

    private final StateTableSource reader;
    private final StateAggregator aggregator;
    private final Clock clock;
    private Rules rulesSeen;
    private RuleLabels labels;

    /** The addresses a breakdown keeps per kind by default (the aggregator's). */
    public static final int DEFAULT_ADDRESSES = StateAggregator.DEFAULT_ADDRESSES;

    public StateBreakdownReader(PfDevice device, AbiRelease release, Clock clock) {
        this(device, release, clock, StateAggregator.DEFAULT_ADDRESSES);
    }

    /** @param addresses distinct sources (and destinations) counted exactly */
    public StateBreakdownReader(PfDevice device, AbiRelease release, Clock clock, int addresses) {
        this(new StateTableReader(device, release.abi()), clock, addresses);
    }

    /**
     * A breakdown of any state table source (FreeBSD's netlink dump: {@code abi.netlink.PfnlStateTable}).
     *
     * @param addresses distinct sources (and destinations) counted exactly
     */
    public StateBreakdownReader(StateTableSource source, Clock clock, int addresses) {
        this.reader = source;
        this.aggregator = new StateAggregator(source.layout(), addresses);
        this.clock = clock;
    }

    /**
     * One read.
     *
     * @param rules     the latest rule walk, or null when none succeeded yet (all states unattributed)
     * @param maxStates the bound above which the table is skipped
     * @param top       how many addresses the top lists hold
     */
    public synchronized Outcome read(Rules rules, long maxStates, int top) {
        Instant at = clock.instant();
        long t0 = System.nanoTime();
        if (rules != rulesSeen) {
            labels = rules == null ? null : new RuleLabels(rules);
            rulesSeen = rules;
        }
        aggregator.start(labels);
        try {
            StateTableReader.Result r = reader.read(maxStates, aggregator);
            if (r.skipped()) {
                return new Skipped(at, r.states(), maxStates);
            }
            return new Read(at, aggregator.finish(at, Duration.ofNanos(System.nanoTime() - t0), r.bufferBytes(), top));
        } catch (PfIoctlException e) {
            return new Failed(at, e.error());
        } catch (PfDeviceException e) {
            return new Failed(at, new PfError(PfError.Kind.OTHER, reader.request(), 0, "", e.getMessage()));
        } catch (RuntimeException e) {
            return new Failed(at, new PfError(PfError.Kind.OTHER, reader.request(), 0, "", "unexpected failure: " + e));
        }
    }

    /** The native buffer kept between reads, in bytes. */
    public long bufferBytes() {
        return reader.bufferBytes();
    }
}
