package org.pfmeter.pf.abi.netlink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

import org.pfmeter.pf.abi.PfDeviceException;

/**
 * A netlink socket whose kernel is a script: each request sent is handed to {@code kernel}, and the
 * datagrams it returns (bytes built by hand) are what {@link #receive} gives back, in order. Not a
 * mock: it checks nothing by itself and records what was sent for the test to look at.
 */
final class ScriptedNetlinkSocket implements NetlinkSocket {

    private final Function<NetlinkMessage, List<byte[]>> kernel;
    private final Deque<byte[]> pending = new ArrayDeque<>();
    private final List<String> sent = new ArrayList<>();

    ScriptedNetlinkSocket(Function<NetlinkMessage, List<byte[]>> kernel) {
        this.kernel = kernel;
    }

    @Override
    public void send(byte[] message) {
        List<NetlinkMessage> m = NetlinkMessage.parseAll(message);
        if (m.size() != 1) {
            throw new IllegalStateException("a request is one message, got " + m.size());
        }
        sent.add(m.get(0).type() + "/" + m.get(0).genlCmd());
        pending.addAll(kernel.apply(m.get(0)));
    }

    @Override
    public byte[] receive() {
        if (pending.isEmpty()) {
            throw new PfDeviceException("scripted netlink: nothing more to receive");
        }
        return pending.poll();
    }

    /** "type/cmd" of every request sent, in order, e.g. "16/3" for CTRL_CMD_GETFAMILY. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    @Override
    public String describe() {
        return "scripted netlink";
    }

    @Override
    public void close() {
    }
}
