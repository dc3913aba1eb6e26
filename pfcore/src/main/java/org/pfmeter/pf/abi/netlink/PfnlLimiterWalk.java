package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.SourceEntries;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * Reads every state limiter and every source limiter (with its address entries aggregated) over a
 * {@link PfnlClient}, walking as {@link PfnlLimiters} describes. A source limiter that vanishes during
 * the walk of its entries (ESRCH: a ruleset without it was loaded) starts the source-limiter read
 * over, at most {@code busyAttempts} times; then the read fails as busy (EBUSY).
 */
public final class PfnlLimiterWalk {

    private final PfnlClient client;
    private final int familyId;
    private final int busyAttempts;

    public PfnlLimiterWalk(PfnlClient client, int familyId, int busyAttempts) {
        this.client = client;
        this.familyId = familyId;
        this.busyAttempts = busyAttempts;
    }

    public List<StateLimiter> stateLimiters() throws PfnlException {
        List<StateLimiter> out = new ArrayList<>();
        long id = PfnlLimiters.ID_MIN;
        while (id <= PfnlLimiters.ID_MAX) {
            long asked = id;
            StateLimiter l;
            try {
                l = PfnlLimiters.decodeStateLimiter(client.single("PFNL_CMD_STATE_LIMITER_NGET",
                        seq -> PfnlLimiters.stateLimiterNget(familyId, seq, asked)));
            } catch (PfnlException e) {
                if (e.errno() == FreeBsdErrno.ENOENT) {
                    break;
                }
                throw e;
            }
            id = next("PFNL_CMD_STATE_LIMITER_NGET", l.id(), asked);
            out.add(l);
        }
        return out;
    }

    /** @param top address entries kept per source limiter (the most states in use first) */
    public List<SourceLimiter> sourceLimiters(int top) throws PfnlException {
        for (int attempt = 1; ; attempt++) {
            Optional<List<SourceLimiter>> read = sourceLimitersOnce(top);
            if (read.isPresent()) {
                return read.get();
            }
            if (attempt >= busyAttempts) {
                throw new PfnlException("PFNL_CMD_SOURCE_NGET", FreeBsdErrno.EBUSY);
            }
        }
    }

    /** Empty when a limiter vanished during its entries' walk. */
    private Optional<List<SourceLimiter>> sourceLimitersOnce(int top) throws PfnlException {
        List<SourceLimiter> out = new ArrayList<>();
        long id = PfnlLimiters.ID_MIN;
        while (id <= PfnlLimiters.ID_MAX) {
            long asked = id;
            NetlinkMessage m;
            try {
                m = client.single("PFNL_CMD_SOURCE_LIMITER_NGET", seq -> PfnlLimiters.sourceLimiterNget(familyId, seq, asked));
            } catch (PfnlException e) {
                if (e.errno() == FreeBsdErrno.ENOENT || e.errno() == FreeBsdErrno.ESRCH) {
                    break;
                }
                throw e;
            }
            SourceLimiter head = PfnlLimiters.decodeSourceLimiter(m, SourceEntries.none(top));
            Optional<SourceEntries> entries = entries(head.id(), top);
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            out.add(PfnlLimiters.decodeSourceLimiter(m, entries.get()));
            id = next("PFNL_CMD_SOURCE_LIMITER_NGET", head.id(), asked);
        }
        return Optional.of(out);
    }

    private static long next(String cmd, long got, long asked) {
        if (got < asked) {
            throw new MalformedAnswerException(cmd + ": asked for the first limiter at or above id " + asked
                    + ", the kernel answered id " + got);
        }
        return got + 1;
    }

    /** The entries of limiter {@code id}, aggregated; empty when the limiter is gone (ESRCH). */
    private Optional<SourceEntries> entries(long id, int top) throws PfnlException {
        PfnlLimiters.Tally tally = new PfnlLimiters.Tally(top);
        PfnlLimiters.Key key = PfnlLimiters.Key.first();
        while (true) {
            PfnlLimiters.Key asked = key;
            List<NetlinkMessage> answer;
            try {
                answer = client.call("PFNL_CMD_SOURCE_NGET", seq -> PfnlLimiters.sourceNget(familyId, seq, id, asked));
            } catch (PfnlException e) {
                if (e.errno() == FreeBsdErrno.ENOENT) {
                    break;
                }
                if (e.errno() == FreeBsdErrno.ESRCH) {
                    return Optional.empty();
                }
                throw e;
            }
            if (answer.isEmpty()) {
                break;
            }
            PfnlLimiters.Key previous = null;
            for (NetlinkMessage m : answer) {
                PfnlLimiters.Entry e = PfnlLimiters.decodeSource(m, id);
                if (previous == null ? e.key().compareTo(asked) < 0 : e.key().compareTo(previous) <= 0) {
                    throw new MalformedAnswerException("PFNL_CMD_SOURCE_NGET: the entries of source limiter " + id
                            + " are not in ascending (af, rdomain, address) order from the key asked");
                }
                previous = e.key();
                tally.add(e.entry());
                if (tally.count() > PfnlLimiters.MAX_SOURCES) {
                    throw new MalformedAnswerException("PFNL_CMD_SOURCE_NGET: more than " + PfnlLimiters.MAX_SOURCES
                            + " address entries in source limiter " + id);
                }
            }
            Optional<PfnlLimiters.Key> next = previous.successor();
            if (next.isEmpty()) {
                break;
            }
            key = next.get();
        }
        return Optional.of(tally.result());
    }
}
