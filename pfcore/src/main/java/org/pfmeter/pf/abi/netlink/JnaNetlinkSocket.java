package org.pfmeter.pf.abi.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.time.Duration;
import java.util.Arrays;

import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.os.LibC;
import org.pfmeter.pf.os.NativeLayerException;

/**
 * The kernel's generic netlink socket through JNA: {@code socket(AF_NETLINK, SOCK_RAW,
 * NETLINK_GENERIC)}, {@code send(2)}, {@code recv(2)} with a receive timeout ({@code SO_RCVTIMEO}),
 * so a kernel that never answers fails the poll instead of hanging it. The kernel binds the socket
 * on the first send. FreeBSD (14 and later) and Linux differ only in the socket constants; Linux is
 * where the tests run it (against its own controller family, "nlctrl"). No JNA type leaves this class.
 */
public final class JnaNetlinkSocket implements NetlinkSocket {

    /**
     * The constants of one system's {@code sys/socket.h}: AF_NETLINK is 38 on FreeBSD and 16 on
     * Linux; SOCK_RAW 3 and NETLINK_GENERIC 16 are the same on both.
     */
    record SocketConstants(String system, int afNetlink, int solSocket, int soRcvtimeo) {
        static final SocketConstants FREEBSD = new SocketConstants("FreeBSD", 38, 0xffff, 0x1006);
        static final SocketConstants LINUX = new SocketConstants("Linux", 16, 1, 20);
    }

    static final int SOCK_RAW = 3;
    /** Large enough for any one pf message; the kernel splits a dump across datagrams. */
    static final int RECEIVE_BUFFER = 64 * 1024;

    private final LibC sys;
    private final int fd;
    private final SocketConstants constants;
    private final byte[] buffer = new byte[RECEIVE_BUFFER];
    private boolean closed;

    private JnaNetlinkSocket(LibC sys, int fd, SocketConstants constants) {
        this.sys = sys;
        this.fd = fd;
        this.constants = constants;
    }

    /**
     * Opens a generic netlink socket on this host.
     *
     * @param timeout how long {@link #receive} waits for the kernel
     * @throws PfDeviceException when this system has no netlink (OpenBSD) or the socket cannot open
     */
    public static JnaNetlinkSocket open(Duration timeout) {
        SocketConstants c = Platform.isFreeBSD() ? SocketConstants.FREEBSD
                : Platform.isLinux() ? SocketConstants.LINUX : null;
        if (c == null) {
            throw new PfDeviceException("netlink: this system (" + System.getProperty("os.name")
                    + ") has no generic netlink; FreeBSD's pf is read over netlink from FreeBSD 14 on");
        }
        LibC sys;
        try {
            sys = LibC.instance();
        } catch (NativeLayerException e) {
            throw new PfDeviceException("netlink: " + e.getMessage());
        }
        int fd;
        try {
            fd = sys.socket(c.afNetlink(), SOCK_RAW, Netlink.NETLINK_GENERIC);
        } catch (LastErrorException e) {
            throw new PfDeviceException("netlink: socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC) failed with errno "
                    + e.getErrorCode() + (c == SocketConstants.FREEBSD ? " (is netlink in the kernel? kldload netlink)" : ""));
        }
        JnaNetlinkSocket s = new JnaNetlinkSocket(sys, fd, c);
        try {
            s.timeout(timeout);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** struct timeval {time_t tv_sec; long tv_usec;}: two 8-byte fields on amd64 and arm64. */
    private void timeout(Duration t) {
        byte[] tv = new byte[16];
        long sec = t.getSeconds();
        long usec = t.getNano() / 1000;
        for (int i = 0; i < 8; i++) {
            tv[i] = (byte) (sec >>> (8 * i));
            tv[8 + i] = (byte) (usec >>> (8 * i));
        }
        try {
            sys.setsockopt(fd, constants.solSocket(), constants.soRcvtimeo(), tv, tv.length);
        } catch (LastErrorException e) {
            throw new PfDeviceException("netlink: setsockopt(SO_RCVTIMEO) failed with errno " + e.getErrorCode());
        }
    }

    @Override
    public void send(byte[] message) {
        open();
        try {
            long n = sys.send(fd, message, new NativeLong(message.length), 0).longValue();
            if (n != message.length) {
                throw new PfDeviceException("netlink: sent " + n + " of " + message.length + " bytes");
            }
        } catch (LastErrorException e) {
            throw new PfDeviceException("netlink: send failed with errno " + e.getErrorCode());
        }
    }

    @Override
    public byte[] receive() {
        open();
        try {
            int n = (int) sys.recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
            if (n == buffer.length) {
                throw new PfDeviceException("netlink: a datagram filled the whole " + buffer.length
                        + "-byte buffer and may be truncated");
            }
            return Arrays.copyOf(buffer, n);
        } catch (LastErrorException e) {
            throw new PfDeviceException("netlink: recv failed with errno " + e.getErrorCode()
                    + " (a timeout reads as EAGAIN/EWOULDBLOCK: the kernel did not answer)");
        }
    }

    private void open() {
        if (closed) {
            throw new PfDeviceException("netlink: the socket is closed");
        }
    }

    @Override
    public String describe() {
        return "netlink (" + constants.system() + ", NETLINK_GENERIC)";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                sys.close(fd);
            } catch (LastErrorException e) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
