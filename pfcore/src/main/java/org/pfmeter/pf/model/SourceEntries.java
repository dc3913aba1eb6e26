package org.pfmeter.pf.model;

import java.util.List;

/**
 * A source limiter's address entries, aggregated as they were read rather than kept: how many there
 * were, what they added up to, and the few holding the most states.
 *
 * @param count       entries read
 * @param top         at most the requested number of entries, most states in use first (ties: the
 *                    most admitted first, then kernel order)
 * @param topAsked    how many the reader was asked to keep
 */
public record SourceEntries(long count, List<SourceEntry> top, int topAsked) {

    public SourceEntries {
        top = List.copyOf(top);
    }

    public static SourceEntries none(int topAsked) {
        return new SourceEntries(0, List.of(), topAsked);
    }
}
