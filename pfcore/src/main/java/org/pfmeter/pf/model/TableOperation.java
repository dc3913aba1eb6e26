package org.pfmeter.pf.model;

/**
 * The three operation counters kept for the state table ({@code fcounters}), the source-node table
 * ({@code scounters}) and the fragment table ({@code ncounters}). pfvar.h defines only the counts
 * ({@code FCNT_MAX}, {@code SCNT_MAX}, {@code NCNT_MAX} = 3); the names are pfctl's {@code FCNT_NAMES}
 * from pfctl_parser.h.
 */
public enum TableOperation implements KernelName {
    SEARCH("searches"),
    INSERT("inserts"),
    REMOVAL("removals");

    private final String kernelName;

    TableOperation(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
