package org.pfmeter.pf.model;

/** The timeouts (DIOCGETTIMEOUT for every {@code PFTM_*} below PFTM_MAX), seconds or state counts. */
public record Timeouts(EnumCounters<PfTimeout> values) {

    public long get(PfTimeout timeout) {
        return values.get(timeout);
    }
}
