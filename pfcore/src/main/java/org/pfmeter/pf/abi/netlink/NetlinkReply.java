package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.List;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * What the kernel answered to one request, fed message by message as datagrams arrive, until the
 * answer is complete. FreeBSD ends an answer in one of three ways:
 * <ul>
 *   <li>an NLMSG_ERROR with error 0 (the acknowledgement a request with NLM_F_ACK gets after its
 *       data; libpfctl asks for it on every request, which is how a single-message "dump" such as
 *       PFNL_CMD_GET_STATUS ends);</li>
 *   <li>an NLMSG_DONE after a real multipart dump ({@code nlmsg_end_dump}, used by GETSTATES,
 *       GET_SRCNODES, GET_TSTATS, the family list), carrying the dump's own result;</li>
 *   <li>an NLMSG_ERROR with the errno when the request failed (no data message before it counts).</li>
 * </ul>
 * Messages with another sequence number (left over from an earlier request) and NLMSG_NOOP are
 * skipped; NLMSG_OVERRUN means data was lost and is a malformed answer.
 */
public final class NetlinkReply {

    private final long seq;
    private final String request;
    private final List<NetlinkMessage> messages = new ArrayList<>();
    private final java.util.function.Consumer<NetlinkMessage> sink;
    private boolean complete;
    private int errno;
    private boolean interrupted;

    /**
     * @param request the request's name for error messages, e.g. "PFNL_CMD_GETRULE"
     */
    public NetlinkReply(long seq, String request) {
        this(seq, request, null);
    }

    /**
     * An answer whose data messages go to {@code sink} as they arrive instead of being kept (a state
     * dump of a million messages); {@link #messages()} is then empty. A sink that was fed messages
     * before an errno ended the answer must drop what it made of them.
     */
    public NetlinkReply(long seq, String request, java.util.function.Consumer<NetlinkMessage> sink) {
        this.seq = seq;
        this.request = request;
        this.sink = sink;
    }

    /** Takes the next received message; returns true once the answer is complete. */
    public boolean accept(NetlinkMessage m) {
        if (complete) {
            throw new IllegalStateException(request + ": answer already complete");
        }
        if (m.seq() != seq || m.type() == Netlink.NLMSG_NOOP) {
            return false;
        }
        if ((m.flags() & Netlink.NLM_F_DUMP_INTR) != 0) {
            interrupted = true;
        }
        switch (m.type()) {
            case Netlink.NLMSG_ERROR -> {
                errno = m.errno();
                complete = true;
            }
            case Netlink.NLMSG_DONE -> {
                errno = m.doneErrno();
                complete = true;
            }
            case Netlink.NLMSG_OVERRUN -> throw new MalformedAnswerException(
                    request + ": NLMSG_OVERRUN, the kernel dropped part of the answer");
            default -> {
                if (m.type() < Netlink.NLMSG_MIN_TYPE) {
                    throw new MalformedAnswerException(request + ": unknown control message type " + m.type());
                }
                if (sink != null) {
                    sink.accept(m);
                } else {
                    messages.add(m);
                }
            }
        }
        return complete;
    }

    public boolean complete() {
        return complete;
    }

    /** 0 when the request succeeded. */
    public int errno() {
        return errno;
    }

    /** The data messages, in the order received; empty when the request failed. */
    public List<NetlinkMessage> messages() {
        return errno == 0 ? List.copyOf(messages) : List.of();
    }

    /** A dump whose messages carried NLM_F_DUMP_INTR: the kernel's table changed while it was read. */
    public boolean interrupted() {
        return interrupted;
    }

    /** The one data message a single-object request (GET_STATUS, GETRULE, GET_LIMIT …) answers with. */
    public NetlinkMessage single() {
        if (!complete) {
            throw new IllegalStateException(request + ": answer not complete");
        }
        if (errno != 0) {
            throw new IllegalStateException(request + ": failed with errno " + errno + ", there is no data");
        }
        if (messages.size() != 1) {
            throw new MalformedAnswerException(request + ": " + messages.size() + " data messages, one expected");
        }
        return messages.get(0);
    }
}
