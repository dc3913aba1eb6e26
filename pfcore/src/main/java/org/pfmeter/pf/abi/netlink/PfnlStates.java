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
            NlAttrs a = m.attributes(WHAT);
            ByteBuffer b = scratch;
            for (int i = 0; i < size; i += 8) {
                b.putLong(i, 0);
            }
            int family = a.required(PfNl.State.PF_ST_AF, "PF_ST_AF").u8();
            if (family != PfnlLimiters.FREEBSD_AF_INET && family != PfnlLimiters.FREEBSD_AF_INET6) {
                throw new MalformedAnswerException(WHAT + ": PF_ST_AF " + family
                        + " is neither AF_INET (2) nor FreeBSD's AF_INET6 (28)");
            }
            int openbsdAf = family == PfnlLimiters.FREEBSD_AF_INET6 ? OPENBSD_AF_INET6 : family;
            b.putLong(id, a.first(PfNl.State.PF_ST_ID).map(x -> x.payloadLength() == 4 ? x.u32() : x.u64()).orElse(0L));
            putName(b, a.required(PfNl.State.PF_ST_IFNAME, "PF_ST_IFNAME").string());
            key(a.required(PfNl.State.PF_ST_KEY_WIRE, "PF_ST_KEY_WIRE").nested(), b, key, family, openbsdAf);
            key(a.required(PfNl.State.PF_ST_KEY_STACK, "PF_ST_KEY_STACK").nested(), b, key + keySize, family, openbsdAf);
            b.put(srcPeer, (byte) peerState(a.required(PfNl.State.PF_ST_PEER_SRC, "PF_ST_PEER_SRC").nested()));
            b.put(dstPeer, (byte) peerState(a.required(PfNl.State.PF_ST_PEER_DST, "PF_ST_PEER_DST").nested()));
            codec.putRule(b, 0, a.required(PfNl.State.PF_ST_RULE, "PF_ST_RULE").u32());
            codec.putAnchor(b, 0, a.required(PfNl.State.PF_ST_ANCHOR, "PF_ST_ANCHOR").u32());
            b.putInt(natRule, Integer.reverseBytes((int) a.first(PfNl.State.PF_ST_NAT_RULE).map(NlAttr::u32).orElse(PfsyncState.NO_RULE).longValue()));
            b.putInt(creation, Integer.reverseBytes((int) a.required(PfNl.State.PF_ST_CREATION, "PF_ST_CREATION").u32()));
            b.putInt(expire, Integer.reverseBytes((int) a.first(PfNl.State.PF_ST_EXPIRE).map(NlAttr::u32).orElse(0L).longValue()));
            codec.putCounter(b, 0, false, 0, a.required(PfNl.State.PF_ST_PACKETS0, "PF_ST_PACKETS0").u64());
            codec.putCounter(b, 0, false, 1, a.required(PfNl.State.PF_ST_PACKETS1, "PF_ST_PACKETS1").u64());
            codec.putCounter(b, 0, true, 0, a.required(PfNl.State.PF_ST_BYTES0, "PF_ST_BYTES0").u64());
            codec.putCounter(b, 0, true, 1, a.required(PfNl.State.PF_ST_BYTES1, "PF_ST_BYTES1").u64());
            b.putInt(creatorid, (int) a.first(PfNl.State.PF_ST_CREATORID).map(NlAttr::u32).orElse(0L).longValue());
            b.put(af, (byte) openbsdAf);
            b.put(proto, (byte) a.required(PfNl.State.PF_ST_PROTO, "PF_ST_PROTO").u8());
            int dir = a.required(PfNl.State.PF_ST_DIRECTION, "PF_ST_DIRECTION").u8();
            if (dir != PfsyncState.PF_IN && dir != PfsyncState.PF_OUT) {
                throw new MalformedAnswerException(WHAT + ": PF_ST_DIRECTION " + dir + " is neither PF_IN (1) nor PF_OUT (2)");
            }
            b.put(direction, (byte) dir);
            b.put(timeout, (byte) a.first(PfNl.State.PF_ST_TIMEOUT).map(NlAttr::u8).orElse(0).intValue());
            decoded++;
            sink.state(b, 0);
        }

        private void putName(ByteBuffer b, String name) {
            byte[] n = org.pfmeter.pf.abi.KernelStrings.encode(name);
            if (n.length >= 16) {
                throw new MalformedAnswerException(WHAT + ": PF_ST_IFNAME \"" + name + "\" is longer than IFNAMSIZ - 1");
            }
            b.put(ifname, n);
        }

        private void key(NlAttrs k, ByteBuffer b, int at, int family, int openbsdAf) {
            int n = family == PfnlLimiters.FREEBSD_AF_INET6 ? 16 : 4;
            b.put(at + keyAddr, k.required(PfNl.StateKey.PF_STK_ADDR0, "PF_STK_ADDR0").bytes(n));
            b.put(at + keyAddr + 16, k.required(PfNl.StateKey.PF_STK_ADDR1, "PF_STK_ADDR1").bytes(n));
            // ports: the kernel keeps them in network order and nlattr_add_u16 copies them as they are
            b.putShort(at + keyPort, (short) k.first(PfNl.StateKey.PF_STK_PORT0).map(NlAttr::u16).orElse(0).intValue());
            b.putShort(at + keyPort + 2, (short) k.first(PfNl.StateKey.PF_STK_PORT1).map(NlAttr::u16).orElse(0).intValue());
            b.put(at + keyAf, (byte) openbsdAf);
        }

        private static int peerState(NlAttrs p) {
            return p.required(PfNl.StatePeer.PF_STP_STATE, "PF_STP_STATE").u8();
        }
    }
}
