package org.pfmeter.pf.abi.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.CType;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;

/**
 * PFNL_CMD_GETSTATES: libpfctl's {@code pfctl_get_states_iter} sends it with no filter attribute (a
 * dump: {@code pf_handle_getstates} dumps when {@code PF_ST_ID} is 0), and the kernel answers one
 * message per state ({@code dump_state} in pf_nl.c) with {@code NLM_F_MULTI}, then NLMSG_DONE.
 *
 * <p>A state message carries {@code PF_ST_*} attributes: the two keys nested ({@code PF_STK_ADDR0/1}
 * 4 or 16 bytes by family, ports, af, proto as u16), the two peers nested ({@code PF_STP_STATE} is
 * the TCP state), the rule and anchor rule numbers (0xffffffff for none), the age
 * ({@code PF_ST_CREATION}, seconds, computed by the kernel), the counters as u64, af, proto and
 * direction as u8, the interface name. {@link Decoder} writes what it reads into one scratch
 * {@code struct pfsync_state} in OpenBSD's layout (the one pfmeter's breakdown reads, 8.0's), with
 * OpenBSD's numbering where they differ (FreeBSD's AF_INET6 28 becomes 24; counters big-endian in
 * halves and rule numbers in network order, as pf_state_export() writes them), and hands it to the
 * sink: the breakdown counts FreeBSD's states with the very code that counts OpenBSD's, and no state
 * is kept. Attributes are found by type (order does not matter), unknown ones are skipped.
 */
public final class PfnlStates {

    /** The layout states are rewritten into. */
    public static final AbiRelease LAYOUT = AbiRelease.V8_0;
    private static final int OPENBSD_AF_INET6 = 24;
    private static final String WHAT = "PFNL_CMD_GETSTATES reply";

    private PfnlStates() {
    }

    /** The whole table: a dump without filter attributes. */
    public static byte[] request(int familyId, long seq) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GETSTATES, 0,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP, seq).toBytes();
    }

    /** Rewrites each state message into a scratch pfsync_state and hands it on. Not thread-safe. */
    public static final class Decoder {
        private final PfsyncState codec = LAYOUT.abi().pfsyncState();
        private final ByteBuffer scratch;
        private final int size;
        private final int id;
        private final int ifname;
        private final int key;
        private final int keySize;
        private final int keyAddr;
        private final int keyPort;
        private final int keyAf;
        private final int srcPeer;
        private final int dstPeer;
        private final int natRule;
        private final int creation;
        private final int expire;
        private final int creatorid;
        private final int af;
        private final int proto;
        private final int direction;
        private final int timeout;
        private long decoded;
        private final NlAttrIndex state = new NlAttrIndex(64, WHAT);
        private final NlAttrIndex keyIndex = new NlAttrIndex(16, WHAT + ", state key");
        private final NlAttrIndex peerIndex = new NlAttrIndex(16, WHAT + ", state peer");

        public Decoder() {
            CStruct s = LAYOUT.abi().struct("pfsync_state");
            CStruct k = LAYOUT.abi().struct("pfsync_state_key");
            size = s.size();
            scratch = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);   // as NativeBytes lays out states
            id = s.offset("id");
            ifname = s.offset("ifname");
            key = s.offset("key");
            keySize = ((CType.Array) s.field("key").type()).element().size();
            keyAddr = k.offset("addr");
            keyPort = k.offset("port");
            keyAf = k.offset("af");
            srcPeer = s.offset("src", "state");
            dstPeer = s.offset("dst", "state");
            natRule = s.offset("nat_rule");
            creation = s.offset("creation");
            expire = s.offset("expire");
            creatorid = s.offset("creatorid");
            af = s.offset("af");
            proto = s.offset("proto");
            direction = s.offset("direction");
            timeout = s.offset("timeout");
        }

        public PfsyncState layout() {
            return codec;
        }

        /** States decoded since this decoder was made. */
        public long decoded() {
            return decoded;
        }

        /** The scratch state as the last {@link #decode} left it (tests look at it). */
        public ByteBuffer scratch() {
            return scratch.asReadOnlyBuffer().order(scratch.order());
        }

        public void decode(NetlinkMessage m, StateTableReader.StateSink sink) {
            PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GETSTATES, "PFNL_CMD_GETSTATES");
            NlAttrIndex a = m.attributes(state);
            ByteBuffer b = scratch;
            for (int i = 0; i < size; i += 8) {
                b.putLong(i, 0);
            }
            int family = a.u8(PfNl.State.PF_ST_AF, "PF_ST_AF");
            if (family != PfnlLimiters.FREEBSD_AF_INET && family != PfnlLimiters.FREEBSD_AF_INET6) {
                throw new MalformedAnswerException(WHAT + ": PF_ST_AF " + family
                        + " is neither AF_INET (2) nor FreeBSD's AF_INET6 (28)");
            }
            int openbsdAf = family == PfnlLimiters.FREEBSD_AF_INET6 ? OPENBSD_AF_INET6 : family;
            if (a.has(PfNl.State.PF_ST_ID)) {
                b.putLong(id, a.length(PfNl.State.PF_ST_ID, "PF_ST_ID") == 4 ? a.u32(PfNl.State.PF_ST_ID, "PF_ST_ID")
                        : a.u64(PfNl.State.PF_ST_ID, "PF_ST_ID"));
            }
            a.copyString(PfNl.State.PF_ST_IFNAME, "PF_ST_IFNAME", 15, b, ifname);
            key(a.nested(PfNl.State.PF_ST_KEY_WIRE, "PF_ST_KEY_WIRE", keyIndex), b, key, family, openbsdAf);
            key(a.nested(PfNl.State.PF_ST_KEY_STACK, "PF_ST_KEY_STACK", keyIndex), b, key + keySize, family, openbsdAf);
            b.put(srcPeer, (byte) a.nested(PfNl.State.PF_ST_PEER_SRC, "PF_ST_PEER_SRC", peerIndex)
                    .u8(PfNl.StatePeer.PF_STP_STATE, "PF_STP_STATE"));
            b.put(dstPeer, (byte) a.nested(PfNl.State.PF_ST_PEER_DST, "PF_ST_PEER_DST", peerIndex)
                    .u8(PfNl.StatePeer.PF_STP_STATE, "PF_STP_STATE"));
            codec.putRule(b, 0, a.u32(PfNl.State.PF_ST_RULE, "PF_ST_RULE"));
            codec.putAnchor(b, 0, a.u32(PfNl.State.PF_ST_ANCHOR, "PF_ST_ANCHOR"));
            b.putInt(natRule, Integer.reverseBytes((int) (a.has(PfNl.State.PF_ST_NAT_RULE)
                    ? a.u32(PfNl.State.PF_ST_NAT_RULE, "PF_ST_NAT_RULE") : PfsyncState.NO_RULE)));
            b.putInt(creation, Integer.reverseBytes((int) a.u32(PfNl.State.PF_ST_CREATION, "PF_ST_CREATION")));
            if (a.has(PfNl.State.PF_ST_EXPIRE)) {
                b.putInt(expire, Integer.reverseBytes((int) a.u32(PfNl.State.PF_ST_EXPIRE, "PF_ST_EXPIRE")));
            }
            codec.putCounter(b, 0, false, 0, a.u64(PfNl.State.PF_ST_PACKETS0, "PF_ST_PACKETS0"));
            codec.putCounter(b, 0, false, 1, a.u64(PfNl.State.PF_ST_PACKETS1, "PF_ST_PACKETS1"));
            codec.putCounter(b, 0, true, 0, a.u64(PfNl.State.PF_ST_BYTES0, "PF_ST_BYTES0"));
            codec.putCounter(b, 0, true, 1, a.u64(PfNl.State.PF_ST_BYTES1, "PF_ST_BYTES1"));
            if (a.has(PfNl.State.PF_ST_CREATORID)) {
                b.putInt(creatorid, (int) a.u32(PfNl.State.PF_ST_CREATORID, "PF_ST_CREATORID"));
            }
            b.put(af, (byte) openbsdAf);
            b.put(proto, (byte) a.u8(PfNl.State.PF_ST_PROTO, "PF_ST_PROTO"));
            int dir = a.u8(PfNl.State.PF_ST_DIRECTION, "PF_ST_DIRECTION");
            if (dir != PfsyncState.PF_IN && dir != PfsyncState.PF_OUT) {
                throw new MalformedAnswerException(WHAT + ": PF_ST_DIRECTION " + dir + " is neither PF_IN (1) nor PF_OUT (2)");
            }
            b.put(direction, (byte) dir);
            if (a.has(PfNl.State.PF_ST_TIMEOUT)) {
                b.put(timeout, (byte) a.u8(PfNl.State.PF_ST_TIMEOUT, "PF_ST_TIMEOUT"));
            }
            decoded++;
            sink.state(b, 0);
        }

        private void key(NlAttrIndex k, ByteBuffer b, int at, int family, int openbsdAf) {
            int n = family == PfnlLimiters.FREEBSD_AF_INET6 ? 16 : 4;
            k.copy(PfNl.StateKey.PF_STK_ADDR0, "PF_STK_ADDR0", n, b, at + keyAddr);
            k.copy(PfNl.StateKey.PF_STK_ADDR1, "PF_STK_ADDR1", n, b, at + keyAddr + 16);
            // ports: the kernel keeps them in network order and nlattr_add_u16 copies them as they are
            if (k.has(PfNl.StateKey.PF_STK_PORT0)) {
                k.copy(PfNl.StateKey.PF_STK_PORT0, "PF_STK_PORT0", 2, b, at + keyPort);
            }
            if (k.has(PfNl.StateKey.PF_STK_PORT1)) {
                k.copy(PfNl.StateKey.PF_STK_PORT1, "PF_STK_PORT1", 2, b, at + keyPort + 2);
            }
            b.put(at + keyAf, (byte) openbsdAf);
        }
    }
}
