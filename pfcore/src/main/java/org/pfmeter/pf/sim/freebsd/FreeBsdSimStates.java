package org.pfmeter.pf.sim.freebsd;

import java.nio.ByteBuffer;
import java.util.List;

import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.CType;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkRequest;
import org.pfmeter.pf.abi.netlink.PfNl;

/**
 * The simulated FreeBSD kernel's PFNL_CMD_GETSTATES handler ({@code pf_handle_getstates} /
 * {@code handle_dumpstates} / {@code dump_state} of pf_nl.c): one message per state, flags the
 * request's plus {@code NLM_F_MULTI}, attributes in dump_state()'s order, then NLMSG_DONE with 0.
 *
 * <p>The table is the existing simulator's ({@code sim.SimStates}, the same states
 * {@code SimulatedPf.statesGroundTruth()} aggregates): it is read through the simulator's own
 * DIOCGETSTATES answer, and each {@code struct pfsync_state} is written as FreeBSD's kernel writes the
 * {@code pf_kstate} it stands for: addresses of 4 bytes (AF_INET) or 16 (AF_INET6, numbered 28),
 * ports in network order as kept, counters and rule numbers in host order, the age
 * ({@code PF_ST_CREATION}) and the seconds left ({@code PF_ST_EXPIRE}) as computed, no route-to
 * address ({@code rt_af} 0 writes none), no scrub attributes (the simulator scrubs nothing),
 * {@code PF_ST_VERSION} {@code PF_STATE_VERSION} (20230404, pfvar.h). Not modelled: the request's
 * filters ({@code PF_ST_IFNAME}, {@code PF_ST_PROTO}, {@code PF_ST_AF}, {@code PF_ST_CREATORID},
 * address and mask; libpfctl's dump sends none) and the single-state get ({@code PF_ST_ID} non-zero).
 * The answer is built whole: at 100,000 states about 40 MB of chunks.
 */
public final class FreeBsdSimStates {

    /** {@code PF_STATE_VERSION} (pfvar.h, {@code struct pf_state_export}). */
    static final long PF_STATE_VERSION = 20230404L;
    static final int FREEBSD_AF_INET6 = 28;
    private static final int OPENBSD_AF_INET6 = 24;

    private final PfDevice openbsd;
    private final AbiRelease release;

    /**
     * @param openbsd the simulator whose state table this kernel has (it answers DIOCGETSTATES)
     * @param release the layout it answers in
     */
    public FreeBsdSimStates(PfDevice openbsd, AbiRelease release) {
        this.openbsd = openbsd;
        this.release = release;
    }

    /** The whole answer to a PFNL_CMD_GETSTATES request, as the chunks the socket receives. */
    public List<byte[]> answer(NetlinkMessage request, int pid) {
        FreeBsdSimStatesReply reply = new FreeBsdSimStatesReply(request, pid);
        Writer w = new Writer(release.abi().pfsyncState(), reply);
        try {
            new StateTableReader(openbsd, release.abi()).read(Long.MAX_VALUE, w);
        } catch (PfIoctlException e) {
            // the simulator's fault (EACCES while injected): pf_handle_getstates() fails, nlmsg_ack() says why
            int errno = e.error().errno();
            return new FreeBsdSimStatesReply(request, pid).ack(errno != 0 ? errno : FreeBsdErrno.ENOMEM).chunks();
        }
        return reply.done(0).chunks();
    }

    /** dump_state() for each pfsync_state of the simulator's answer. */
    private final class Writer implements StateTableReader.StateSink {
        private final PfsyncState c;
        private final FreeBsdSimStatesReply reply;
        private final int id;
        private final int ifname;
        private final int key;
        private final int keySize;
        private final int keyAddr;
        private final int keyPort;
        private final int keyAf;
        private final int src;
        private final int dst;
        private final CStruct peer;
        private final int natRule;
        private final int creatorid;
        private final int rtableid;
        private final int maxMss;
        private final int log;
        private final int rt;
        private final int timeout;
        private final int syncFlags;
        private final int minTtl;
        private final int stateFlags;

        Writer(PfsyncState c, FreeBsdSimStatesReply reply) {
            this.c = c;
            this.reply = reply;
            CStruct s = release.abi().struct("pfsync_state");
            CStruct k = release.abi().struct("pfsync_state_key");
            peer = release.abi().struct("pfsync_state_peer");
            id = s.offset("id");
            ifname = s.offset("ifname");
            key = s.offset("key");
            keySize = ((CType.Array) s.field("key").type()).element().size();
            keyAddr = k.offset("addr");
            keyPort = k.offset("port");
            keyAf = k.offset("af");
            src = s.offset("src");
            dst = s.offset("dst");
            natRule = s.offset("nat_rule");
            creatorid = s.offset("creatorid");
            rtableid = s.offset("rtableid");
            maxMss = s.offset("max_mss");
            log = s.offset("log");
            rt = s.offset("rt");
            timeout = s.offset("timeout");
            syncFlags = s.offset("sync_flags");
            minTtl = s.offset("min_ttl");
            stateFlags = s.offset("state_flags");
        }

        @Override
        public void state(ByteBuffer b, int base) {
            int af = c.af(b, base) == OPENBSD_AF_INET6 ? FREEBSD_AF_INET6 : c.af(b, base);
            NetlinkRequest m = reply.message(PfNl.Cmd.PFNL_CMD_GETSTATES, Netlink.NLM_F_MULTI);
            m.putU64(PfNl.State.PF_ST_VERSION, PF_STATE_VERSION);
            int proto = c.proto(b, base);
            key(m, PfNl.State.PF_ST_KEY_WIRE, b, base + key, af, proto);
            key(m, PfNl.State.PF_ST_KEY_STACK, b, base + key + keySize, af, proto);
            m.putU8(PfNl.State.PF_ST_PROTO, proto);
            m.putU8(PfNl.State.PF_ST_AF, af);
            String name = c.ifname(b, base);
            m.putString(PfNl.State.PF_ST_IFNAME, name);
            m.putString(PfNl.State.PF_ST_ORIG_IFNAME, name);
            m.putU32(PfNl.State.PF_ST_CREATION, c.creation(b, base));
            m.putU32(PfNl.State.PF_ST_EXPIRE, c.expire(b, base));
            m.putU8(PfNl.State.PF_ST_DIRECTION, c.direction(b, base));
            m.putU8(PfNl.State.PF_ST_LOG, u8(b, base + log));
            m.putU8(PfNl.State.PF_ST_TIMEOUT, u8(b, base + timeout));
            m.putU16(PfNl.State.PF_ST_STATE_FLAGS, ntohs(b, base + stateFlags));
            m.putU8(PfNl.State.PF_ST_SYNC_FLAGS, u8(b, base + syncFlags));
            m.putU64(PfNl.State.PF_ST_ID, Long.reverseBytes(b.getLong(base + id)));      // htobe64 in pfsync
            m.putU32(PfNl.State.PF_ST_CREATORID, Integer.toUnsignedLong(b.getInt(base + creatorid))); // network order kept
            m.putU32(PfNl.State.PF_ST_RULE, c.rule(b, base));
            m.putU32(PfNl.State.PF_ST_ANCHOR, c.anchor(b, base));
            m.putU32(PfNl.State.PF_ST_NAT_RULE, ntohl(b, base + natRule));
            m.putU64(PfNl.State.PF_ST_PACKETS0, c.packets(b, base, 0));
            m.putU64(PfNl.State.PF_ST_PACKETS1, c.packets(b, base, 1));
            m.putU64(PfNl.State.PF_ST_BYTES0, c.bytes(b, base, 0));
            m.putU64(PfNl.State.PF_ST_BYTES1, c.bytes(b, base, 1));
            m.putU32(PfNl.State.PF_ST_RTABLEID, ntohl(b, base + rtableid));
            m.putU8(PfNl.State.PF_ST_MIN_TTL, u8(b, base + minTtl));
            m.putU16(PfNl.State.PF_ST_MAX_MSS, ntohs(b, base + maxMss));
            m.putU16(PfNl.State.PF_ST_DNPIPE, 0);
            m.putU16(PfNl.State.PF_ST_DNRPIPE, 0);
            m.putU8(PfNl.State.PF_ST_RT, u8(b, base + rt));
            m.putU8(PfNl.State.PF_ST_SRC_NODE_FLAGS, 0);
            m.putU8(PfNl.State.PF_ST_RT_AF, 0);
            peer(m, PfNl.State.PF_ST_PEER_SRC, b, base + src);
            peer(m, PfNl.State.PF_ST_PEER_DST, b, base + dst);
            reply.add(m);
        }

        /** dump_state_key(): both addresses (dump_addr: by family), the ports as kept, af, proto as u16. */
        private void key(NetlinkRequest m, int type, ByteBuffer b, int at, int af, int proto) {
            int n = af == FREEBSD_AF_INET6 ? 16 : 4;
            byte[] a = new byte[n];
            m.beginNested(type);
            b.get(at + keyAddr, a);
            m.putBytes(PfNl.StateKey.PF_STK_ADDR0, a);
            b.get(at + keyAddr + 16, a);
            m.putBytes(PfNl.StateKey.PF_STK_ADDR1, a);
            m.putU16(PfNl.StateKey.PF_STK_PORT0, Short.toUnsignedInt(b.getShort(at + keyPort)));
            m.putU16(PfNl.StateKey.PF_STK_PORT1, Short.toUnsignedInt(b.getShort(at + keyPort + 2)));
            m.putU8(PfNl.StateKey.PF_STK_AF, af);
            m.putU16(PfNl.StateKey.PF_STK_PROTO, proto);
            m.endNested();
        }

        /** dump_state_peer() without scrub. */
        private void peer(NetlinkRequest m, int type, ByteBuffer b, int at) {
            m.beginNested(type);
            m.putU32(PfNl.StatePeer.PF_STP_SEQLO, ntohl(b, at + peer.offset("seqlo")));
            m.putU32(PfNl.StatePeer.PF_STP_SEQHI, ntohl(b, at + peer.offset("seqhi")));
            m.putU32(PfNl.StatePeer.PF_STP_SEQDIFF, ntohl(b, at + peer.offset("seqdiff")));
            m.putU16(PfNl.StatePeer.PF_STP_MAX_WIN, ntohs(b, at + peer.offset("max_win")));
            m.putU16(PfNl.StatePeer.PF_STP_MSS, ntohs(b, at + peer.offset("mss")));
            m.putU8(PfNl.StatePeer.PF_STP_STATE, u8(b, at + peer.offset("state")));
            m.putU8(PfNl.StatePeer.PF_STP_WSCALE, u8(b, at + peer.offset("wscale")));
            m.endNested();
        }
    }

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    private static int ntohs(ByteBuffer b, int at) {
        return Short.toUnsignedInt(Short.reverseBytes(b.getShort(at)));
    }

    private static long ntohl(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(Integer.reverseBytes(b.getInt(at)));
    }
}
