package org.pfmeter.pf.abi.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds netlink bytes by hand for tests, field by field as netlink.h and netlink_generic.h lay them
 * out (little-endian, as on FreeBSD/amd64): deliberately independent of {@link NetlinkRequest}, so a
 * mistake in the writer cannot hide the same mistake in the parser.
 */
final class HandFrame {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    HandFrame u8(int v) {
        out.write(v);
        return this;
    }

    HandFrame u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    HandFrame u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    HandFrame u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    /** The characters as bytes, no NUL added. */
    HandFrame ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    HandFrame bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    HandFrame zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    // ---- whole attributes and messages: struct nlattr {u16 nla_len; u16 nla_type;} + payload + zero padding

    static byte[] nla(int type, byte[] payload) {
        int len = 4 + payload.length;
        return new HandFrame().u16(len).u16(type).bytes(payload).zeros((4 - len % 4) % 4).bytes();
    }

    static byte[] nlaU8(int type, int v) {
        return nla(type, new HandFrame().u8(v).bytes());
    }

    static byte[] nlaU16(int type, int v) {
        return nla(type, new HandFrame().u16(v).bytes());
    }

    static byte[] nlaU32(int type, long v) {
        return nla(type, new HandFrame().u32(v).bytes());
    }

    static byte[] nlaU64(int type, long v) {
        return nla(type, new HandFrame().u64(v).bytes());
    }

    /** A string attribute as nlattr_add_string writes it: the bytes and a NUL. */
    static byte[] nlaStr(int type, String s) {
        return nla(type, new HandFrame().ascii(s).u8(0).bytes());
    }

    static byte[] nested(int type, byte[]... attrs) {
        return nla(type, concat(attrs));
    }

    static byte[] concat(byte[]... parts) {
        HandFrame f = new HandFrame();
        for (byte[] p : parts) {
            f.bytes(p);
        }
        return f.bytes();
    }

    /** struct nlmsghdr {u32 len; u16 type; u16 flags; u32 seq; u32 pid;} + payload (already padded). */
    static byte[] nlmsg(int type, int flags, long seq, byte[] payload) {
        return new HandFrame().u32(16 + payload.length).u16(type).u16(flags).u32(seq).u32(0).bytes(payload).bytes();
    }

    /** A generic netlink message: nlmsghdr, struct genlmsghdr {u8 cmd; u8 version; u16 reserved;}, attributes. */
    static byte[] genlmsg(int family, int flags, long seq, int cmd, byte[]... attrs) {
        return nlmsg(family, flags, seq, concat(new HandFrame().u8(cmd).u8(0).u16(0).bytes(), concat(attrs)));
    }

    /** struct nlmsgerr {int error; struct nlmsghdr msg;}: the request's header echoed (capped). */
    static byte[] nlmsgerr(long seq, int error, int requestType) {
        byte[] echoed = new HandFrame().u32(20).u16(requestType).u16(0x305).u32(seq).u32(0).bytes();
        return nlmsg(2, 0x100, seq, new HandFrame().u32(error).bytes(echoed).bytes());
    }

    /** NLMSG_DONE as nlmsg_end_dump writes it: one int, the dump's result. */
    static byte[] done(long seq, int error) {
        return nlmsg(3, 0, seq, new HandFrame().u32(error).bytes());
    }
}
