package org.pfmeter.pf.sim.freebsd;

import java.util.ArrayDeque;
import java.util.Deque;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;

/**
 * One {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)} on the simulated FreeBSD: what the
 * kernel answers to a datagram is queued, one entry per datagram the kernel flushed, and
 * {@link #receive} hands them out in order. With nothing queued a real socket blocks until
 * {@code SO_RCVTIMEO}; this one fails at once, as that timeout would.
 */
final class FreeBsdNlSocket implements NetlinkSocket {

    private final SimulatedFreeBsd kernel;
    private final long port;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private boolean closed;

    FreeBsdNlSocket(SimulatedFreeBsd kernel, long port) {
        this.kernel = kernel;
        this.port = port;
    }

    /** {@code nl_port}: the port the kernel assigned at the first send (autobind). */
    long port() {
        return port;
    }

    /** NETLINK_CAP_ACK: pfmeter does not set it, so an error echoes the whole request. */
    boolean capAck() {
        return false;
    }

    boolean privileged() {
        return kernel.privileged();
    }

    @Override
    public void send(byte[] message) {
        if (closed) {
            throw new PfDeviceException("netlink: socket closed");
        }
        queue.addAll(kernel.process(message, this));
    }

    @Override
    public byte[] receive() {
        if (closed) {
            throw new PfDeviceException("netlink: socket closed");
        }
        byte[] d = queue.poll();
        if (d == null) {
            throw new PfDeviceException("netlink: no answer within SO_RCVTIMEO (simulated FreeBSD has nothing queued)");
        }
        return d;
    }

    @Override
    public String describe() {
        return "simulated netlink (" + kernel.release() + ")";
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
    }
}
