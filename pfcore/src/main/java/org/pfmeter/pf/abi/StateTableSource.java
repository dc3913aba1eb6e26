package org.pfmeter.pf.abi;

/**
 * Where a state-table breakdown reads its states from: OpenBSD's DIOCGETSTATES ({@link StateTableReader})
 * or FreeBSD's PFNL_CMD_GETSTATES dump ({@code abi.netlink.PfnlStateTable}). Either hands every state
 * to the sink in OpenBSD's {@code struct pfsync_state} layout of {@link #layout()}, where it lies or
 * rewritten into one scratch state, and keeps none of them.
 */
public interface StateTableSource {

    /**
     * Reads the table, or only its size when it holds more than {@code maxStates} states.
     *
     * @throws PfIoctlException a failed request or a malformed answer, with the error as the model names it
     */
    StateTableReader.Result read(long maxStates, StateTableReader.StateSink sink) throws PfIoctlException;

    /** The layout of the states handed to the sink. */
    PfsyncState layout();

    /** The request's name for errors, e.g. "DIOCGETSTATES". */
    String request();

    /** Native memory kept between reads, in bytes. */
    long bufferBytes();
}
