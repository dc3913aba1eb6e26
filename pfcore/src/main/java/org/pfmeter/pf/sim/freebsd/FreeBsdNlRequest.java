package org.pfmeter.pf.sim.freebsd;

import java.util.Arrays;
import java.util.Optional;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NlAttr;
import org.pfmeter.pf.abi.netlink.NlAttrs;

/**
 * One request message as the kernel holds it while handling it: a copy of the bytes received with
 * {@code nlmsg_pid} stamped to the socket's port ({@code nl_receive_message}), whose flags a dump
 * handler may change ({@code hdr->nlmsg_flags |= NLM_F_MULTI}) before the ACK echoes the header.
 * Attributes are read as the kernel's parsers read them: unknown ones ignored, a wrong width or an
 * over-long string is EINVAL ({@link Failure}).
 */
public final class FreeBsdNlRequest {

    /** An errno a handler answers with from deep inside (a parser's EINVAL). */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        public Failure(int errno, String why) {
            super(why);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private final byte[] kernel;
    private final NetlinkMessage message;
    private NlAttrs attrs;

    FreeBsdNlRequest(byte[] received, long port) {
        this.kernel = Arrays.copyOf(received, Math.max(received.length, 20));
        for (int i = 0; i < 4; i++) {
            kernel[12 + i] = (byte) (port >>> (8 * i));
        }
        int len = (kernel[0] & 0xff) | (kernel[1] & 0xff) << 8 | (kernel[2] & 0xff) << 16 | (kernel[3] & 0xff) << 24;
        this.message = NetlinkMessage.parseAll(kernel, org.pfmeter.pf.abi.netlink.Netlink.align(len)).get(0);
    }

    public int type() {
        return message.type();
    }

    public int flags() {
        return message.flags();
    }

    /** {@code hdr->nlmsg_flags |= f}, as dump handlers do with NLM_F_MULTI. */
    public void addFlags(int f) {
        int v = flags() | f;
        kernel[6] = (byte) v;
        kernel[7] = (byte) (v >>> 8);
    }

    /** The message as received (its pid stamped), for handlers that build their whole answer themselves. */
    NetlinkMessage message() {
        return message;
    }

    public long seq() {
        return message.seq();
    }

    /** The socket's port, stamped by the kernel. */
    public long pid() {
        return message.pid();
    }

    public int length() {
        return message.length();
    }

    /** {@code genlmsghdr.cmd}. */
    public int cmd() {
        return kernel[16] & 0xff;                  // past a short message: the zeroed buffer, as in the kernel
    }

    /** The request as the kernel holds it now (what an ACK echoes). */
    public byte[] kernelCopy() {
        return Arrays.copyOf(kernel, message.length());
    }

    private NlAttrs attrs() {
        if (attrs == null) {
            try {
                attrs = message.attributes("request");
            } catch (MalformedAnswerException e) {
                throw new Failure(FreeBsdErrno.EINVAL, e.getMessage());
            }
        }
        return attrs;
    }

    private Optional<NlAttr> attr(int type) {
        return attrs().first(type);
    }

    private static <T> T checked(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (MalformedAnswerException e) {
            throw new Failure(FreeBsdErrno.EINVAL, e.getMessage());
        }
    }

    /** {@code nlattr_get_uint8}; {@code absent} when the request leaves it out (the kernel's zeroed struct). */
    public int u8(int type, int absent) {
        return attr(type).map(a -> checked(a::u8)).orElse(absent);
    }

    public int u16(int type, int absent) {
        return attr(type).map(a -> checked(a::u16)).orElse(absent);
    }

    public long u32(int type, long absent) {
        return attr(type).map(a -> checked(a::u32)).orElse(absent);
    }

    /** {@code nlattr_get_chara}: a string of at most {@code size} bytes with its NUL. */
    public String chara(int type, int size) {
        Optional<NlAttr> a = attr(type);
        if (a.isEmpty()) {
            return "";
        }
        if (a.get().payloadLength() > size) {
            throw new Failure(FreeBsdErrno.EINVAL, "attribute " + type + " longer than " + size);
        }
        return checked(a.get()::string);
    }

    /** Whether the request carries this attribute at all. */
    public boolean has(int type) {
        return attr(type).isPresent();
    }
}
