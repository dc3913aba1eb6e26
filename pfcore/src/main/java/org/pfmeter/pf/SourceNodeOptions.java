package org.pfmeter.pf;

/**
 * How source tracking nodes are read in a poll.
 *
 * @param bound above this many nodes only the kernel's count is asked for, and the breakdown is
 *              skipped (pf's own default limit, {@code set limit src-nodes}, is 10,000)
 * @param top   how many nodes (the ones holding the most states) are kept with their addresses
 */
public record SourceNodeOptions(long bound, int top) {

    public static final SourceNodeOptions DEFAULT = new SourceNodeOptions(10_000, 10);

    public SourceNodeOptions {
        if (bound < 0) {
            throw new IllegalArgumentException("source node bound must be 0 or more, not " + bound);
        }
        if (top < 0 || top > 10_000) {
            throw new IllegalArgumentException("top source nodes must be within 0..10000, not " + top);
        }
    }
}
