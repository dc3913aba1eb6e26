package org.pfmeter.pf.sim.freebsd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkRequest;
import org.pfmeter.pf.abi.netlink.NlAttr;
import org.pfmeter.pf.abi.netlink.NlAttrs;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The simulated FreeBSD kernel's limiter commands (pf_nl.h of main): STATE_LIMITER_GET 39 / NGET 40,
 * SOURCE_LIMITER_GET 42 / NGET 43, SOURCE_GET 44 / NGET 45. The limiters are the existing simulator's
 * ({@code sim.SimLimiters}, with every address entry: {@code SimulatedPf.limiterTruth} asked for all),
 * so a FreeBSD reader's walk must find exactly what {@code limiterTruth(top)} says.
 *
 * <p>pf_nl.c's handlers for these commands were not readable (the stored pf_nl.c predates them), so
 * the answers follow the OpenBSD ioctls they port, in netlink's framing (see
 * {@link org.pfmeter.pf.abi.netlink.PfnlLimiters}): GET finds the id exactly, NGET the smallest at or
 * above it (a missing id attribute is 0, as the kernel's zeroed parse target leaves it); a limiter
 * answers one message (attributes in the header's order, no ticket, no description: OpenBSD's
 * kernel keeps none) and the acknowledgement; no limiter answers ENOENT. SOURCE_GET / NGET answer
 * every entry of the limiter at (GET: exactly) or after the key ({@code PF_SRC_AF}, {@code _RDOMAIN},
 * {@code _ADDR}), one message each in (af, rdomain, address) order with FreeBSD's AF_INET6 (28),
 * then the acknowledgement; ENOENT when none is, ESRCH when the limiter is not there.
 */
public final class FreeBsdSimLimiters {

    private final Supplier<SimulatedPf.LimiterTruth> limiters;

    /** @param limiters the limiters now, every address entry included */
    public FreeBsdSimLimiters(Supplier<SimulatedPf.LimiterTruth> limiters) {
        this.limiters = limiters;
    }

    /** The limiters of {@code sim} (a release with limiters: 7.9 or 8.0). */
    public FreeBsdSimLimiters(SimulatedPf sim) {
        this(() -> sim.limiterTruth(Integer.MAX_VALUE));
    }

    /** The answer to one limiter request (commands 39, 40, 42, 43, 44, 45), as the chunks the socket receives. */
    public List<byte[]> answer(NetlinkMessage request, int pid) {
        FreeBsdSimStatesReply reply = new FreeBsdSimStatesReply(request, pid);
        NlAttrs a = request.attributes("limiter request");
        int cmd = request.genlCmd();
        SimulatedPf.LimiterTruth now = limiters.get();
        return switch (cmd) {
            case PfNl.Cmd.PFNL_CMD_STATE_LIMITER_GET, PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET -> {
                long id = u32(a, PfNl.StateLimit.PF_SL_ID);
                Optional<StateLimiter> l = now.stateLimiters().stream()
                        .filter(x -> cmd == PfNl.Cmd.PFNL_CMD_STATE_LIMITER_GET ? x.id() == id : x.id() >= id)
                        .min(Comparator.comparingInt(StateLimiter::id));
                yield l.isEmpty() ? reply.ack(FreeBsdErrno.ENOENT).chunks()
                        : reply.add(stateLimiter(reply.message(cmd, 0), l.get())).ack(0).chunks();
            }
            case PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_GET, PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET -> {
                long id = u32(a, PfNl.SourceLimit.PF_SCL_ID);
                Optional<SourceLimiter> l = now.sourceLimiters().stream()
                        .filter(x -> cmd == PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_GET ? x.id() == id : x.id() >= id)
                        .min(Comparator.comparingInt(SourceLimiter::id));
                yield l.isEmpty() ? reply.ack(FreeBsdErrno.ENOENT).chunks()
                        : reply.add(sourceLimiter(reply.message(cmd, 0), l.get())).ack(0).chunks();
            }
            case PfNl.Cmd.PFNL_CMD_SOURCE_GET, PfNl.Cmd.PFNL_CMD_SOURCE_NGET -> sources(reply, cmd, a, now);
            default -> throw new IllegalArgumentException("command " + cmd + " is not a limiter read");
        };
    }

    private static long u32(NlAttrs a, int type) {
        return a.first(type).map(NlAttr::u32).orElse(0L);
    }

    private static NetlinkRequest stateLimiter(NetlinkRequest m, StateLimiter l) {
        return m.putU32(PfNl.StateLimit.PF_SL_ID, l.id())
                .putString(PfNl.StateLimit.PF_SL_NAME, l.name())
                .putU32(PfNl.StateLimit.PF_SL_LIMIT, l.limit())
                .beginNested(PfNl.StateLimit.PF_SL_RATE)
                .putU32(PfNl.LimitRate.PF_LR_LIMIT, l.rateLimit())
                .putU32(PfNl.LimitRate.PF_LR_SECONDS, l.rateSeconds())
                .endNested()
                .putU32(PfNl.StateLimit.PF_SL_INUSE, l.inuse())
                .putU64(PfNl.StateLimit.PF_SL_ADMITTED, l.admitted())
                .putU64(PfNl.StateLimit.PF_SL_HARDLIMITED, l.hardlimited())
                .putU64(PfNl.StateLimit.PF_SL_RATELIMITED, l.ratelimited());
    }

    private static NetlinkRequest sourceLimiter(NetlinkRequest m, SourceLimiter l) {
        return m.putU32(PfNl.SourceLimit.PF_SCL_ID, l.id())
                .putString(PfNl.SourceLimit.PF_SCL_NAME, l.name())
                .putU32(PfNl.SourceLimit.PF_SCL_ENTRIES, l.entries())
                .putU32(PfNl.SourceLimit.PF_SCL_LIMIT, l.limit())
                .beginNested(PfNl.SourceLimit.PF_SCL_RATE)
                .putU32(PfNl.LimitRate.PF_LR_LIMIT, l.rateLimit())
                .putU32(PfNl.LimitRate.PF_LR_SECONDS, l.rateSeconds())
                .endNested()
                .putString(PfNl.SourceLimit.PF_SCL_OVERLOAD_TBL_NAME, l.overloadTable())
                .putU32(PfNl.SourceLimit.PF_SCL_OVERLOAD_HIGH_WM, l.overloadHwm())
                .putU32(PfNl.SourceLimit.PF_SCL_OVERLOAD_LOW_WM, l.overloadLwm())
                .putU32(PfNl.SourceLimit.PF_SCL_INET_PREFIX, l.inetPrefix())
                .putU32(PfNl.SourceLimit.PF_SCL_INET6_PREFIX, l.inet6Prefix())
                .putU32(PfNl.SourceLimit.PF_SCL_NENTRIES, l.nentries())
                .putU32(PfNl.SourceLimit.PF_SCL_INUSE, l.inuse())
                .putU64(PfNl.SourceLimit.PF_SCL_ADDR_ALLOCS, l.addrallocs())
                .putU64(PfNl.SourceLimit.PF_SCL_ADDR_NOMEM, l.addrnomem())
                .putU64(PfNl.SourceLimit.PF_SCL_ADMITTED, l.admitted())
                .putU64(PfNl.SourceLimit.PF_SCL_ADDRLIMITED, l.addrlimited())
                .putU64(PfNl.SourceLimit.PF_SCL_HARDLIMITED, l.hardlimited())
                .putU64(PfNl.SourceLimit.PF_SCL_RATELIMITED, l.ratelimited());
    }

    /** An entry with its key as the kernel orders the tree: (af, rdomain, address bytes). */
    private record Keyed(int af, long rdomain, byte[] addr, SourceEntry entry) {
        int compareKey(int af2, long rdomain2, byte[] addr2) {
            int c = Integer.compare(af, af2);
            if (c == 0) {
                c = Long.compare(rdomain, rdomain2);
            }
            return c != 0 ? c : Arrays.compareUnsigned(addr, addr2);
        }
    }

    private static List<byte[]> sources(FreeBsdSimStatesReply reply, int cmd, NlAttrs a, SimulatedPf.LimiterTruth now) {
        long id = u32(a, PfNl.Source.PF_SRC_ID);
        Optional<SourceLimiter> limiter = now.sourceLimiters().stream().filter(x -> x.id() == id).findFirst();
        if (limiter.isEmpty()) {
            return reply.ack(FreeBsdErrno.ESRCH).chunks();
        }
        SourceLimiter l = limiter.get();
        if (l.sources().top().size() != l.sources().count()) {
            throw new IllegalStateException("source limiter " + id + ": the simulator gave " + l.sources().top().size()
                    + " of its " + l.sources().count() + " entries; it must give all");
        }
        int af = a.first(PfNl.Source.PF_SRC_AF).map(NlAttr::u8).orElse(0);
        long rdomain = u32(a, PfNl.Source.PF_SRC_RDOMAIN);
        byte[] addr = a.first(PfNl.Source.PF_SRC_ADDR).map(x -> x.bytes(16)).orElse(new byte[16]);
        List<Keyed> all = new ArrayList<>();
        for (SourceEntry e : l.sources().top()) {
            all.add(new Keyed(e.af() == AddressFamily.INET6 ? FreeBsdSimStates.FREEBSD_AF_INET6 : 2, e.rdomain(),
                    bytes(e), e));
        }
        all.sort((x, y) -> x.compareKey(y.af(), y.rdomain(), y.addr()));
        int sent = 0;
        for (Keyed k : all) {
            int c = k.compareKey(af, rdomain, addr);
            if (cmd == PfNl.Cmd.PFNL_CMD_SOURCE_GET ? c != 0 : c < 0) {
                continue;
            }
            SourceEntry e = k.entry();
            reply.add(reply.message(cmd, 0)
                    .putString(PfNl.Source.PF_SRC_NAME, l.name())
                    .putU32(PfNl.Source.PF_SRC_ID, l.id())
                    .putU8(PfNl.Source.PF_SRC_AF, k.af())
                    .putU32(PfNl.Source.PF_SRC_RDOMAIN, k.rdomain())
                    .putBytes(PfNl.Source.PF_SRC_ADDR, k.addr())
                    .putU32(PfNl.Source.PF_SRC_INUSE, e.inuse())
                    .putU64(PfNl.Source.PF_SRC_ADMITTED, e.admitted())
                    .putU64(PfNl.Source.PF_SRC_HARDLIMITED, e.hardlimited())
                    .putU64(PfNl.Source.PF_SRC_RATELIMITED, e.ratelimited())
                    .putU32(PfNl.Source.PF_SRC_LIMIT, l.limit())
                    .putU32(PfNl.Source.PF_SRC_INET_PREFIX, l.inetPrefix())
                    .putU32(PfNl.Source.PF_SRC_INET6_PREFIX, l.inet6Prefix()));
            sent++;
        }
        return sent == 0 ? reply.ack(FreeBsdErrno.ENOENT).chunks() : reply.ack(0).chunks();
    }

    /** The 16 address bytes (IPv4 in the first 4) of an entry's printed address. */
    private static byte[] bytes(SourceEntry e) {
        try {
            byte[] raw = InetAddress.getByName(e.address()).getAddress();   // a literal: no lookup
            return Arrays.copyOf(raw, 16);
        } catch (UnknownHostException x) {
            throw new IllegalStateException("source entry address " + e.address() + " is not an address", x);
        }
    }
}
