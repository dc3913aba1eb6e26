package org.pfmeter.pf.trace;

/**
 * What a trace may hold. The recorder and the replayer share these numbers, so a trace pfmeter writes
 * is a trace pfmeter reads: the recorder splits a large buffer over continuation lines and refuses
 * what would break a limit; the replayer refuses the rest with the file and line. They bound what
 * replay keeps in memory (one line, one exchange, a little look-ahead), never the number of polls it
 * can stream. See pfcore/README.md, "What a trace may hold".
 */
public final class TraceLimits {

    /**
     * The longest line, in bytes. Written lines stay below 8.1 MiB (a {@link #CHUNK_BYTES} chunk in hex
     * and a struct of a few KiB); traces written before chunking hold a buffer in one line, and Jackson
     * read strings of up to 20,000,000 characters, so 24 MiB still reads every trace that ever replayed.
     */
    public static final int MAX_LINE_BYTES = 24 << 20;

    /** Bytes of one buffer per line (8 MiB of hex): a larger one continues on the next lines. */
    public static final int CHUNK_BYTES = 4 << 20;

    /**
     * The largest buffer one exchange may carry (replay holds it while answering): 64 MiB is 54,000
     * tables of 8.0's 1,232-byte {@code struct pfr_tstats} with the reader's eighth of headroom, or
     * 254,000 states of its 264-byte {@code struct pfsync_state}.
     */
    public static final int MAX_POINTEE_BYTES = 64 << 20;

    /** The most (uncompressed) bytes of one poll: the large simulated firewall's is 373 MB. */
    public static final long MAX_POLL_BYTES = 1L << 30;

    /** The most polls a trace may hold. */
    public static final int MAX_POLLS = 10_000;

    /** The most (uncompressed) bytes of a whole trace; a gzip bomb stops here at the latest. */
    public static final long MAX_TRACE_BYTES = 16L << 30;

    /** How much of the current poll replay reads ahead and keeps when calls come in another order. */
    static final long LOOKAHEAD_BYTES = 16 << 20;

    private TraceLimits() {
    }

    /**
     * The most states whose table a trace of this release holds in one buffer: a recorder reads larger
     * tables for their size only, as a daemon does above {@code states.max-states}.
     */
    public static long maxStates(org.pfmeter.pf.abi.AbiRelease release) {
        return MAX_POINTEE_BYTES / release.abi().pfsyncState().size();
    }

    /** "24 MiB", "1 GiB": a limit as people read it. */
    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }
}
