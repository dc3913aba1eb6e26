package org.pfmeter.pf.abi.netlink;

/**
 * A generic netlink socket ({@code socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)}) in bytes: what the
 * FreeBSD reader needs of the kernel, as {@link org.pfmeter.pf.abi.PfDevice} is for OpenBSD's ioctls.
 * The JNA socket, a simulator and test scripts implement it, so the whole netlink path runs the same
 * on each; no JNA type appears here.
 */
public interface NetlinkSocket extends AutoCloseable {

    /**
     * Sends one request: a complete netlink message as {@link NetlinkRequest} writes it.
     *
     * @throws org.pfmeter.pf.abi.PfDeviceException when the socket cannot send at all
     */
    void send(byte[] message);

    /**
     * Receives the next datagram the kernel sent (one or more messages, see
     * {@link NetlinkMessage#parseAll}); blocks until one arrives.
     *
     * @throws org.pfmeter.pf.abi.PfDeviceException when nothing can be received (closed, timed out)
     */
    byte[] receive();

    /** A one-line description for logs: "netlink (pfctl family)", "scripted netlink". */
    String describe();

    @Override
    void close();
}
