package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import org.pfmeter.pf.abi.InetText;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.SourceEntries;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * FreeBSD's state and source limiters over netlink (pf_nl.h of main: commands 38-46, attributes
 * {@code pf_state_limit_t}, {@code pf_source_limit_t}, {@code pf_source_t}, {@code pf_limit_rate_t}),
 * the port of OpenBSD 7.9's DIOCGETNSTATELIM / DIOCGETNSOURCELIM / DIOCGETNSOURCE. The requests and
 * the walk follow the OpenBSD ioctls' semantics, which the FreeBSD port keeps:
 *
 * <ul>
 *   <li>{@code PFNL_CMD_STATE_LIMITER_NGET} 40 with {@code PF_SL_ID}: one message, the limiter with
 *       the smallest id at or above it; ENOENT past the last. The walk asks 1, then one past each id
 *       returned.</li>
 *   <li>{@code PFNL_CMD_SOURCE_LIMITER_NGET} 43 with {@code PF_SCL_ID}: likewise; the end is ENOENT
 *       (OpenBSD's ioctl answers ESRCH there, which is taken as the end too).</li>
 *   <li>{@code PFNL_CMD_SOURCE_NGET} 45 with the limiter's {@code PF_SRC_ID} and the key
 *       ({@code PF_SRC_AF}, {@code PF_SRC_RDOMAIN}, {@code PF_SRC_ADDR}): the address entries at or
 *       after the key, one message each, in (af, rdomain, address) order; ENOENT when none is left,
 *       ESRCH when the limiter is gone (a ruleset without it was loaded), which starts the read over.
 *       The next key is the successor of the last entry returned.</li>
 * </ul>
 *
 * The kernel's handlers for these commands were not readable (the stored pf_nl.c predates them), so
 * the attribute numbers are the header's and the ends are inferred as above; every reply attribute
 * is looked up by type, so order does not matter. Entries are aggregated as they arrive: counted,
 * and the {@code top} by states in use kept (then admitted, then kernel order), as on OpenBSD.
 */
public final class PfnlLimiters {

    /** FreeBSD's {@code AF_INET6} ({@code sys/socket.h}); the kernel sends FreeBSD's numbers. */
    static final int FREEBSD_AF_INET6 = PfnlSourceNodes.FREEBSD_AF_INET6;
    static final int FREEBSD_AF_INET = PfnlSourceNodes.FREEBSD_AF_INET;
    /** pf's limiter ids are 1 … 255 ({@code PF_STATELIM_ID_MIN/MAX}, {@code PF_SOURCELIM_ID_*}). */
    static final long ID_MIN = 1;
    static final long ID_MAX = 255;
    /** More entries than this in one limiter is a kernel that does not end its walk. */
    static final long MAX_SOURCES = 1L << 24;

    /** As libpfctl reads single objects (GET_LIMIT, GET_TIMEOUT): with NLM_F_DUMP. */
    private static final int READ = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP;

    private PfnlLimiters() {
    }

    // ---- requests

    public static byte[] stateLimiterNget(int familyId, long seq, long id) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET, 0, READ, seq)
                .putU32(PfNl.StateLimit.PF_SL_ID, id).toBytes();
    }

    public static byte[] sourceLimiterNget(int familyId, long seq, long id) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET, 0, READ, seq)
                .putU32(PfNl.SourceLimit.PF_SCL_ID, id).toBytes();
    }

    /** The entries of limiter {@code id} at or after {@code key}. */
    public static byte[] sourceNget(int familyId, long seq, long id, Key key) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_SOURCE_NGET, 0, READ, seq)
                .putU32(PfNl.Source.PF_SRC_ID, id)
                .putU8(PfNl.Source.PF_SRC_AF, key.af())
                .putU32(PfNl.Source.PF_SRC_RDOMAIN, key.rdomain())
                .putBytes(PfNl.Source.PF_SRC_ADDR, key.addr()).toBytes();
    }

    // ---- replies

    /** One PFNL_CMD_STATE_LIMITER_GET / _NGET reply. */
    public static StateLimiter decodeStateLimiter(NetlinkMessage m) {
        if (m.genlCmd() != PfNl.Cmd.PFNL_CMD_STATE_LIMITER_GET && m.genlCmd() != PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET) {
            throw new MalformedAnswerException("PFNL_CMD_STATE_LIMITER_NGET reply: genlmsghdr.cmd is " + m.genlCmd());
        }
        NlAttrs a = m.attributes("PFNL_CMD_STATE_LIMITER_NGET reply");
        long[] rate = rate(a, PfNl.StateLimit.PF_SL_RATE);
        return new StateLimiter(id(a.required(PfNl.StateLimit.PF_SL_ID, "PF_SL_ID").u32(), "PF_SL_ID"),
                a.first(PfNl.StateLimit.PF_SL_NAME).map(NlAttr::string).orElse(""),
                a.required(PfNl.StateLimit.PF_SL_LIMIT, "PF_SL_LIMIT").u32(), rate[0], rate[1],
                a.required(PfNl.StateLimit.PF_SL_INUSE, "PF_SL_INUSE").u32(),
                a.required(PfNl.StateLimit.PF_SL_ADMITTED, "PF_SL_ADMITTED").u64(),
                a.required(PfNl.StateLimit.PF_SL_HARDLIMITED, "PF_SL_HARDLIMITED").u64(),
                a.required(PfNl.StateLimit.PF_SL_RATELIMITED, "PF_SL_RATELIMITED").u64());
    }

    /** One PFNL_CMD_SOURCE_LIMITER_GET / _NGET reply, its entries still to be read. */
    public static SourceLimiter decodeSourceLimiter(NetlinkMessage m, SourceEntries entries) {
        if (m.genlCmd() != PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_GET && m.genlCmd() != PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET) {
            throw new MalformedAnswerException("PFNL_CMD_SOURCE_LIMITER_NGET reply: genlmsghdr.cmd is " + m.genlCmd());
        }
        NlAttrs a = m.attributes("PFNL_CMD_SOURCE_LIMITER_NGET reply");
        long[] rate = rate(a, PfNl.SourceLimit.PF_SCL_RATE);
        return new SourceLimiter(id(a.required(PfNl.SourceLimit.PF_SCL_ID, "PF_SCL_ID").u32(), "PF_SCL_ID"),
                a.first(PfNl.SourceLimit.PF_SCL_NAME).map(NlAttr::string).orElse(""),
                a.required(PfNl.SourceLimit.PF_SCL_ENTRIES, "PF_SCL_ENTRIES").u32(),
                a.required(PfNl.SourceLimit.PF_SCL_LIMIT, "PF_SCL_LIMIT").u32(), rate[0], rate[1],
                a.first(PfNl.SourceLimit.PF_SCL_OVERLOAD_TBL_NAME).map(NlAttr::string).orElse(""),
                u32(a, PfNl.SourceLimit.PF_SCL_OVERLOAD_HIGH_WM), u32(a, PfNl.SourceLimit.PF_SCL_OVERLOAD_LOW_WM),
                a.required(PfNl.SourceLimit.PF_SCL_INET_PREFIX, "PF_SCL_INET_PREFIX").u32(),
                a.required(PfNl.SourceLimit.PF_SCL_INET6_PREFIX, "PF_SCL_INET6_PREFIX").u32(),
                a.required(PfNl.SourceLimit.PF_SCL_NENTRIES, "PF_SCL_NENTRIES").u32(),
                a.required(PfNl.SourceLimit.PF_SCL_INUSE, "PF_SCL_INUSE").u32(),
                a.required(PfNl.SourceLimit.PF_SCL_ADDR_ALLOCS, "PF_SCL_ADDR_ALLOCS").u64(),
                a.required(PfNl.SourceLimit.PF_SCL_ADDR_NOMEM, "PF_SCL_ADDR_NOMEM").u64(),
                a.required(PfNl.SourceLimit.PF_SCL_ADMITTED, "PF_SCL_ADMITTED").u64(),
                a.required(PfNl.SourceLimit.PF_SCL_ADDRLIMITED, "PF_SCL_ADDRLIMITED").u64(),
                a.required(PfNl.SourceLimit.PF_SCL_HARDLIMITED, "PF_SCL_HARDLIMITED").u64(),
                a.required(PfNl.SourceLimit.PF_SCL_RATELIMITED, "PF_SCL_RATELIMITED").u64(),
                entries);
    }

    /** One address entry as the kernel sends it, with its key for the walk. */
    public record Entry(Key key, SourceEntry entry) {
    }

    /** One PFNL_CMD_SOURCE_GET / _NGET reply message of limiter {@code id}. */
    public static Entry decodeSource(NetlinkMessage m, long id) {
        if (m.genlCmd() != PfNl.Cmd.PFNL_CMD_SOURCE_GET && m.genlCmd() != PfNl.Cmd.PFNL_CMD_SOURCE_NGET) {
            throw new MalformedAnswerException("PFNL_CMD_SOURCE_NGET reply: genlmsghdr.cmd is " + m.genlCmd());
        }
        NlAttrs a = m.attributes("PFNL_CMD_SOURCE_NGET reply");
        long got = a.first(PfNl.Source.PF_SRC_ID).map(NlAttr::u32).orElse(id);
        if (got != id) {
            throw new MalformedAnswerException("PFNL_CMD_SOURCE_NGET reply: an entry of limiter " + got
                    + " in the walk of limiter " + id);
        }
        int af = a.required(PfNl.Source.PF_SRC_AF, "PF_SRC_AF").u8();
        AddressFamily family = switch (af) {
            case FREEBSD_AF_INET -> AddressFamily.INET;
            case FREEBSD_AF_INET6 -> AddressFamily.INET6;
            default -> throw new MalformedAnswerException("PFNL_CMD_SOURCE_NGET reply: PF_SRC_AF " + af
                    + " is neither AF_INET (2) nor FreeBSD's AF_INET6 (28)");
        };
        long rdomain = a.first(PfNl.Source.PF_SRC_RDOMAIN).map(NlAttr::u32).orElse(0L);
        byte[] addr = a.required(PfNl.Source.PF_SRC_ADDR, "PF_SRC_ADDR").bytes(16);
        return new Entry(new Key(af, rdomain, addr), new SourceEntry(family, rdomain, InetText.format(family, addr),
                a.required(PfNl.Source.PF_SRC_INUSE, "PF_SRC_INUSE").u32(),
                a.required(PfNl.Source.PF_SRC_ADMITTED, "PF_SRC_ADMITTED").u64(),
                a.required(PfNl.Source.PF_SRC_HARDLIMITED, "PF_SRC_HARDLIMITED").u64(),
                a.required(PfNl.Source.PF_SRC_RATELIMITED, "PF_SRC_RATELIMITED").u64()));
    }

    private static int id(long id, String attr) {
        if (id < ID_MIN || id > ID_MAX) {
            throw new MalformedAnswerException("limiter reply: " + attr + " " + id + " is outside pf's ids "
                    + ID_MIN + "-" + ID_MAX);
        }
        return (int) id;
    }

    private static long u32(NlAttrs a, int type) {
        return a.first(type).map(NlAttr::u32).orElse(0L);
    }

    /** [limit, seconds] of a nested pf_limit_rate_t; [0, 0] (no rate) when absent. */
    private static long[] rate(NlAttrs a, int type) {
        return a.first(type).map(r -> {
            NlAttrs n = r.nested();
            return new long[] {u32(n, PfNl.LimitRate.PF_LR_LIMIT), u32(n, PfNl.LimitRate.PF_LR_SECONDS)};
        }).orElse(new long[2]);
    }

    // ---- the walk key: (af, rdomain, address), compared as the kernel's tree orders them

    /** An entry's key; {@code addr} is 16 bytes, network order. */
    public record Key(int af, long rdomain, byte[] addr) {
        public Key {
            if (addr.length != 16) {
                throw new IllegalArgumentException("a key's address has 16 bytes, not " + addr.length);
            }
            addr = addr.clone();
        }

        @Override
        public byte[] addr() {
            return addr.clone();
        }

        /** af 0, rdomain 0, address 0: before every entry. */
        public static Key first() {
            return new Key(0, 0, new byte[16]);
        }

        /** Compares af, then rdomain (unsigned), then the address bytes (unsigned). */
        public int compareTo(Key o) {
            int c = Integer.compare(af, o.af);
            if (c == 0) {
                c = Long.compare(rdomain, o.rdomain);
            }
            return c != 0 ? c : Arrays.compareUnsigned(addr, o.addr);
        }

        /** The smallest key after this one; empty after the very last (af 255, rdomain 2^32-1, all ones). */
        public java.util.Optional<Key> successor() {
            byte[] a = addr.clone();
            for (int i = 15; i >= 0; i--) {
                if (++a[i] != 0) {
                    return java.util.Optional.of(new Key(af, rdomain, a));
                }
            }
            if (rdomain < 0xffff_ffffL) {
                return java.util.Optional.of(new Key(af, rdomain + 1, a));
            }
            return af < 255 ? java.util.Optional.of(new Key(af + 1, 0, a)) : java.util.Optional.empty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.af == af && k.rdomain == rdomain && Arrays.equals(k.addr, addr);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * af + Long.hashCode(rdomain)) + Arrays.hashCode(addr);
        }

        @Override
        public String toString() {
            return "Key[af=" + af + ", rdomain=" + rdomain + ", addr=" + java.util.HexFormat.of().formatHex(addr) + "]";
        }
    }

    // ---- aggregation of the entries as they arrive

    /** Counts entries and keeps the {@code top} by (inuse, admitted), ties in kernel order. */
    public static final class Tally {
        private record Ranked(SourceEntry entry, long seq) {
        }

        private static final Comparator<Ranked> WORST_FIRST = Comparator
                .comparing((Ranked r) -> r.entry().inuse(), Long::compareUnsigned)
                .thenComparing(r -> r.entry().admitted(), Long::compareUnsigned)
                .thenComparing(Ranked::seq, Comparator.reverseOrder());

        private final int top;
        private final PriorityQueue<Ranked> kept;
        private long count;

        public Tally(int top) {
            if (top < 0) {
                throw new IllegalArgumentException("top must be at least 0, got " + top);
            }
            this.top = top;
            this.kept = new PriorityQueue<>(Math.max(1, top + 1), WORST_FIRST);
        }

        public void add(SourceEntry e) {
            count++;
            if (top > 0) {
                kept.add(new Ranked(e, count));
                if (kept.size() > top) {
                    kept.poll();
                }
            }
        }

        public long count() {
            return count;
        }

        public SourceEntries result() {
            List<Ranked> ranked = new ArrayList<>(kept);
            ranked.sort(WORST_FIRST.reversed());
            return new SourceEntries(count, ranked.stream().map(Ranked::entry).toList(), top);
        }
    }
}
