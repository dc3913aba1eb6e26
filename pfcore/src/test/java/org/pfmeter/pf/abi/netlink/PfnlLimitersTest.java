package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlmsgerr;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * The limiter commands of pf_nl.h (main) decoded from frames built by hand: attribute numbers as
 * literals from the header (pf_state_limit_t, pf_source_limit_t, pf_source_t, pf_limit_rate_t), command
 * numbers 40, 43, 45, FreeBSD's AF_INET6 28, ENOENT 2 / ESRCH 3 at the ends.
 */
class PfnlLimitersTest {

    static final int FAMILY = FreeBsdPfReaderTest.FAMILY;

    static byte[] stateLimiter(long seq, long id, String name, long limit, long rate, long secs, long inuse) {
        return genlmsg(FAMILY, 0, seq, 40, nlaU32(3, id), nlaStr(2, name), nlaU32(4, limit),
                nested(5, nlaU32(1, rate), nlaU32(2, secs)), nlaU32(7, inuse), nlaU64(8, 1000 + id),
                nlaU64(9, 10 + id), nlaU64(10, 20 + id));
    }

    static byte[] sourceLimiter(long seq, long id) {
        return genlmsg(FAMILY, 0, seq, 43, nlaU32(3, id), nlaStr(2, "per-client"), nlaU32(4, 64), nlaU32(5, 8),
                nested(6, nlaU32(1, 20), nlaU32(2, 5)), nlaStr(7, "abusers"), nlaU32(8, 6), nlaU32(9, 4),
                nlaU32(10, 32), nlaU32(11, 64), nlaU32(13, 3), nlaU32(14, 9), nlaU64(15, 40), nlaU64(16, 0),
                nlaU64(17, 900), nlaU64(18, 1), nlaU64(19, 2), nlaU64(20, 3));
    }

    /** Entries in kernel order: 192.0.2.1, 192.0.2.9 (AF_INET 2), 2001:db8:: (AF_INET6 28). */
    static final List<byte[]> ADDRS = List.of(
            HexFormat.of().parseHex("c0000201000000000000000000000000"),
            HexFormat.of().parseHex("c0000209000000000000000000000000"),
            HexFormat.of().parseHex("20010db8000000000000000000000000"));
    static final int[] AFS = {2, 2, 28};
    static final long[] INUSE = {2, 5, 2};

    static byte[] source(long seq, long id, int i) {
        return genlmsg(FAMILY, 0, seq, 45, nlaStr(1, "per-client"), nlaU32(2, id), nlaU8(3, AFS[i]), nlaU32(4, 0),
                nla(5, ADDRS.get(i)), nlaU32(6, INUSE[i]), nlaU64(7, 100 * (i + 1)), nlaU64(8, i), nlaU64(9, 0),
                nlaU32(10, 8), nlaU32(11, 32), nlaU32(12, 64));
    }

    /** A kernel with state limiters 1 and 7, source limiter 4; SOURCE_NGET answers at most two entries. */
    static final class LimiterKernel {
        final FreeBsdPfReaderTest.Kernel rest = new FreeBsdPfReaderTest.Kernel();
        int vanishOnce;                       // SOURCE_NGET answers ESRCH this many times
        final List<String> keys = new ArrayList<>();

        LimiterKernel() {
            rest.ops = FreeBsdPfReaderTest.range(1, 47);
        }

        List<byte[]> answer(NetlinkMessage r) {
            long seq = r.seq();
            if (r.type() != FAMILY || r.genlCmd() < 38 || r.genlCmd() > 46) {
                return rest.answer(r);
            }
            NlAttrs a = r.attributes("request");
            switch (r.genlCmd()) {
                case 40: {
                    long id = a.required(3, "PF_SL_ID").u32();
                    if (id <= 1) {
                        return FreeBsdPfReaderTest.Kernel.acked(seq, stateLimiter(seq, 1, "lan-states", 1000, 0, 0, 400));
                    }
                    if (id <= 7) {
                        return FreeBsdPfReaderTest.Kernel.acked(seq, stateLimiter(seq, 7, "guest", 50, 50, 5, 50));
                    }
                    return List.of(nlmsgerr(seq, 2, FAMILY));                               // ENOENT
                }
                case 43: {
                    long id = a.required(3, "PF_SCL_ID").u32();
                    return id <= 4 ? FreeBsdPfReaderTest.Kernel.acked(seq, sourceLimiter(seq, 4))
                            : List.of(nlmsgerr(seq, 2, FAMILY));
                }
                case 45: {
                    if (vanishOnce > 0) {
                        vanishOnce--;
                        return List.of(nlmsgerr(seq, 3, FAMILY));                           // ESRCH
                    }
                    PfnlLimiters.Key key = new PfnlLimiters.Key(a.required(3, "PF_SRC_AF").u8(),
                            a.required(4, "PF_SRC_RDOMAIN").u32(), a.required(5, "PF_SRC_ADDR").bytes(16));
                    keys.add(key.toString());
                    List<byte[]> msgs = new ArrayList<>();
                    for (int i = 0; i < ADDRS.size() && msgs.size() < 2; i++) {
                        if (new PfnlLimiters.Key(AFS[i], 0, ADDRS.get(i)).compareTo(key) >= 0) {
                            msgs.add(source(seq, a.required(2, "PF_SRC_ID").u32(), i));
                        }
                    }
                    if (msgs.isEmpty()) {
                        return List.of(nlmsgerr(seq, 2, FAMILY));                           // ENOENT
                    }
                    msgs.add(nlmsgerr(seq, 0, FAMILY));
                    return List.of(concat(msgs.toArray(new byte[0][])));
                }
                default:
                    return List.of(nlmsgerr(seq, 45, FAMILY));
            }
        }
    }

    @Test
    void aStateLimiterReplyDecodesEveryField() {
        StateLimiter l = PfnlLimiters.decodeStateLimiter(
                NetlinkMessage.parseAll(stateLimiter(1, 7, "guest", 50, 50, 5, 49)).get(0));
        assertThat(l).isEqualTo(new StateLimiter(7, "guest", 50, 50, 5, 49, 1007, 17, 27));
    }

    @Test
    void aSourceLimiterReplyDecodesEveryField() {
        SourceLimiter l = PfnlLimiters.decodeSourceLimiter(NetlinkMessage.parseAll(sourceLimiter(1, 4)).get(0),
                org.pfmeter.pf.model.SourceEntries.none(0));
        assertThat(l).isEqualTo(new SourceLimiter(4, "per-client", 64, 8, 20, 5, "abusers", 6, 4, 32, 64, 3, 9, 40, 0,
                900, 1, 2, 3, org.pfmeter.pf.model.SourceEntries.none(0)));
    }

    @Test
    void anEntryCarriesFreeBsdsAddressFamily() {
        PfnlLimiters.Entry e = PfnlLimiters.decodeSource(NetlinkMessage.parseAll(source(1, 4, 2)).get(0), 4);
        assertThat(e.entry()).isEqualTo(new SourceEntry(AddressFamily.INET6, 0, "2001:db8::", 2, 300, 2, 0));
        assertThat(e.key().af()).isEqualTo(28);
        assertThatThrownBy(() -> PfnlLimiters.decodeSource(NetlinkMessage.parseAll(source(1, 4, 0)).get(0), 5))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("limiter 4");
    }

    @Test
    void anIdOutsidePfsRangeIsMalformed() {
        assertThatThrownBy(() -> PfnlLimiters.decodeStateLimiter(
                NetlinkMessage.parseAll(stateLimiter(1, 256, "x", 1, 0, 0, 0)).get(0)))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("256");
    }

    @Test
    void theWalkKeySuccessorCarriesIntoRdomainAndFamily() {
        byte[] ones = new byte[16];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(new PfnlLimiters.Key(2, 0, ones).successor().orElseThrow())
                .isEqualTo(new PfnlLimiters.Key(2, 1, new byte[16]));
        assertThat(new PfnlLimiters.Key(2, 0xffff_ffffL, ones).successor().orElseThrow())
                .isEqualTo(new PfnlLimiters.Key(3, 0, new byte[16]));
        assertThat(new PfnlLimiters.Key(255, 0xffff_ffffL, ones).successor()).isEmpty();
    }

    @Test
    void aPollWalksTheLimitersAndTheirEntries() {
        LimiterKernel k = new LimiterKernel();
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(k::answer);
        PfSnapshot s = new FreeBsdPfReader(sock, FreeBsdPfReaderTest.CLOCK, 5, org.pfmeter.pf.SourceNodeOptions.DEFAULT, 2).poll();

        assertThat(s.stateLimiters().value().orElseThrow()).extracting(StateLimiter::id).containsExactly(1, 7);
        assertThat(sock.sent()).containsSubsequence(FAMILY + "/40", FAMILY + "/40", FAMILY + "/40");
        SourceLimiter l = s.sourceLimiters().value().orElseThrow().get(0);
        assertThat(l.id()).isEqualTo(4);
        assertThat(l.sources().count()).isEqualTo(3);
        assertThat(l.sources().top()).extracting(SourceEntry::address).containsExactly("192.0.2.9", "2001:db8::")
                .as("most in use first, then most admitted");
        // two entries a call: the second call starts after 192.0.2.9, the third after 2001:db8::
        assertThat(k.keys).hasSize(3);
        assertThat(k.keys.get(1)).contains("af=2").contains("c0000209000000000000000000000001");
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void aLimiterVanishingDuringItsEntriesIsReadAgainThenBusy() {
        LimiterKernel k = new LimiterKernel();
        k.vanishOnce = 1;
        PfSnapshot s = new FreeBsdPfReader(new ScriptedNetlinkSocket(k::answer), FreeBsdPfReaderTest.CLOCK).poll();
        assertThat(s.sourceLimiters().value().orElseThrow().get(0).sources().count()).isEqualTo(3);

        LimiterKernel gone = new LimiterKernel();
        gone.vanishOnce = 100;
        PfSnapshot b = new FreeBsdPfReader(new ScriptedNetlinkSocket(gone::answer), FreeBsdPfReaderTest.CLOCK, 3,
                org.pfmeter.pf.SourceNodeOptions.DEFAULT).poll();
        assertThat(b.sourceLimiters().error().orElseThrow().kind()).isEqualTo(PfError.Kind.BUSY);
        assertThat(b.stateLimiters().isOk()).isTrue();
    }

    @Test
    void aKernelWithoutTheEntryCommandHasNoSourceLimiters() {
        LimiterKernel k = new LimiterKernel();
        k.rest.ops = FreeBsdPfReaderTest.range(1, 44);                   // no SOURCE_NGET (45)
        PfSnapshot s = new FreeBsdPfReader(new ScriptedNetlinkSocket(k::answer), FreeBsdPfReaderTest.CLOCK).poll();
        assertThat(s.sourceLimiters().isNotPresent()).isTrue();
        assertThat(s.stateLimiters().isOk()).isTrue();
    }

    @Test
    void requestsAreWrittenAsTheHeaderLaysThemOut() {
        // NLM_F_REQUEST|NLM_F_ACK|NLM_F_DUMP = 0x305; genlmsghdr {cmd, version 0}; PF_SL_ID 3, PF_SCL_ID 3,
        // PF_SRC_ID 2, PF_SRC_AF 3 (u8, padded), PF_SRC_RDOMAIN 4, PF_SRC_ADDR 5 (16 bytes)
        assertThat(PfnlLimiters.stateLimiterNget(FAMILY, 5, 7)).isEqualTo(genlmsg(FAMILY, 0x305, 5, 40, nlaU32(3, 7)));
        assertThat(PfnlLimiters.sourceLimiterNget(FAMILY, 6, 1)).isEqualTo(genlmsg(FAMILY, 0x305, 6, 43, nlaU32(3, 1)));
        assertThat(PfnlLimiters.sourceNget(FAMILY, 7, 4, new PfnlLimiters.Key(28, 0, ADDRS.get(2))))
                .isEqualTo(genlmsg(FAMILY, 0x305, 7, 45, nlaU32(2, 4), nlaU8(3, 28), nlaU32(4, 0), nla(5, ADDRS.get(2))));
    }

    /** Every byte after the message header, set to 0xff in turn: each reply decodes or is malformed, nothing else. */
    @Test
    void aDamagedReplyIsMalformedOrDecodesNeverAnotherException() {
        for (byte[] good : List.of(stateLimiter(1, 7, "guest", 50, 50, 5, 49), sourceLimiter(1, 4), source(1, 4, 2))) {
            for (int i = 16; i < good.length; i++) {
                byte[] bad = good.clone();
                bad[i] = (byte) 0xff;
                try {
                    NetlinkMessage m = NetlinkMessage.parseAll(bad).get(0);
                    switch (m.genlCmd()) {
                        case 40 -> PfnlLimiters.decodeStateLimiter(m);
                        case 43 -> PfnlLimiters.decodeSourceLimiter(m, org.pfmeter.pf.model.SourceEntries.none(0));
                        default -> PfnlLimiters.decodeSource(m, 4);
                    }
                } catch (MalformedAnswerException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            }
        }
    }

    @Test
    void esrchIsPinned() {
        assertThat(FreeBsdErrno.ESRCH).isEqualTo(3);                     // sys/sys/errno.h
    }
}
