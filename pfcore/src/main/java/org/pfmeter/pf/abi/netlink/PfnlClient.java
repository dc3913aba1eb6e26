package org.pfmeter.pf.abi.netlink;

import java.util.List;

/**
 * One request and its whole answer over a {@link NetlinkSocket}: numbers the request (nlmsg_seq),
 * sends it and takes datagrams until {@link NetlinkReply} says the answer is complete (the ACK after a
 * single message, NLMSG_DONE after a dump, or an NLMSG_ERROR with the errno). Not thread-safe: one
 * client per reader.
 */
public final class PfnlClient {

    /** A request waiting for its sequence number. */
    @FunctionalInterface
    public interface Request {
        byte[] build(long seq);
    }

    private final NetlinkSocket socket;
    private long seq;

    public PfnlClient(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * @param name the command's C name for errors, e.g. "PFNL_CMD_GET_STATUS"
     * @return the data messages of the answer, in the order received
     * @throws PfnlException when the kernel answered with an errno
     */
    public List<NetlinkMessage> call(String name, Request request) throws PfnlException {
        return run(name, request, null);
    }

    /**
     * Like {@link #call}, but each data message goes to {@code each} as it arrives and none is kept
     * (a state dump): what {@code each} made of the messages is void if this throws.
     */
    public void stream(String name, Request request, java.util.function.Consumer<NetlinkMessage> each)
            throws PfnlException {
        run(name, request, java.util.Objects.requireNonNull(each));
    }

    private List<NetlinkMessage> run(String name, Request request, java.util.function.Consumer<NetlinkMessage> each)
            throws PfnlException {
        long s = ++seq & 0xffff_ffffL;
        socket.send(request.build(s));
        NetlinkReply reply = new NetlinkReply(s, name, each);
        while (!reply.complete()) {
            for (NetlinkMessage m : NetlinkMessage.parseAll(socket.receive())) {
                if (reply.complete()) {
                    break;                       // the rest of a datagram after the end belongs to no one
                }
                reply.accept(m);
            }
        }
        if (reply.errno() != 0) {
            throw new PfnlException(name, reply.errno());
        }
        return reply.messages();
    }

    /** A request answered by exactly one data message. */
    public NetlinkMessage single(String name, Request request) throws PfnlException {
        List<NetlinkMessage> m = call(name, request);
        if (m.size() != 1) {
            throw new org.pfmeter.pf.abi.MalformedAnswerException(name + ": " + m.size() + " data messages, one expected");
        }
        return m.get(0);
    }

    public String describe() {
        return socket.describe();
    }
}
