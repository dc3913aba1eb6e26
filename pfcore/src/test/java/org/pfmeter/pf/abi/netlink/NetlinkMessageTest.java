package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;

/** Message and attribute framing, from bytes written out by hand after netlink.h's definitions. */
class NetlinkMessageTest {

    /**
     * A PFNL_CMD_GET_STATUS-shaped reply, byte by byte: family id 23, flags echoed from the request
     * (REQUEST|ACK|DUMP = 0x305), seq 7; then genlmsghdr cmd 11; then attributes, including an unknown
     * type 99 and PF_GS_COUNTERS twice.
     */
    static final byte[] STATUS_LIKE = HexFormat.of().parseHex((""
            + "80000000 1700 0503 07000000 00000000"       // nlmsghdr: len 128, type 23, flags 0x305, seq 7, pid 0
            + "0b 00 0000"                                 // genlmsghdr: cmd 11, version 0
            + "0800 0100 656d3000"                         // PF_GS_IFNAME "em0\0"
            + "0500 0200 01 000000"                        // PF_GS_RUNNING true, 3 bytes padding
            + "0800 0600 d2040000"                         // PF_GS_STATES 1234
            + "0800 6300 ffffffff"                         // type 99: unknown to pfmeter
            + "2400 0a00"                                  // PF_GS_COUNTERS, 36 bytes
            + "  0800 0300 00000000"                       //   PF_C_ID 0
            + "  0a00 0200 6d61746368 00 0000"             //   PF_C_NAME "match\0", 2 bytes padding
            + "  0c00 0100 0500000000000000"               //   PF_C_COUNTER 5
            + "2800 0a00"                                  // PF_GS_COUNTERS again, 40 bytes
            + "  0800 0300 01000000"                       //   PF_C_ID 1
            + "  0f00 0200 6261642d6f6666736574 00 00"     //   PF_C_NAME "bad-offset\0", 1 byte padding
            + "  0c00 0100 0807060504030201"               //   PF_C_COUNTER 0x0102030405060708
            ).replace(" ", ""));

    @Test
    void decodesAHandWrittenMessage() {
        List<NetlinkMessage> ms = NetlinkMessage.parseAll(STATUS_LIKE);
        assertThat(ms).hasSize(1);
        NetlinkMessage m = ms.get(0);
        assertThat(m.length()).isEqualTo(128);
        assertThat(m.type()).isEqualTo(23);
        assertThat(m.flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP);
        assertThat(m.seq()).isEqualTo(7);
        assertThat(m.genlCmd()).isEqualTo(PfNl.Cmd.PFNL_CMD_GET_STATUS);
        assertThat(m.genlVersion()).isZero();

        NlAttrs a = m.attributes("status");
        assertThat(a.size()).isEqualTo(6);
        assertThat(a.required(PfNl.GetStatus.PF_GS_IFNAME, "ifname").string()).isEqualTo("em0");
        assertThat(a.required(PfNl.GetStatus.PF_GS_RUNNING, "running").bool()).isTrue();
        assertThat(a.required(PfNl.GetStatus.PF_GS_STATES, "states").u32()).isEqualTo(1234);
        assertThat(a.first(PfNl.GetStatus.PF_GS_DEBUG)).isEmpty();

        List<NlAttr> counters = a.all(PfNl.GetStatus.PF_GS_COUNTERS);
        assertThat(counters).hasSize(2);
        NlAttrs first = counters.get(0).nested();
        assertThat(first.required(PfNl.Counter.PF_C_ID, "id").u32()).isZero();
        assertThat(first.required(PfNl.Counter.PF_C_NAME, "name").string()).isEqualTo("match");
        assertThat(first.required(PfNl.Counter.PF_C_COUNTER, "counter").u64()).isEqualTo(5);
        NlAttrs second = counters.get(1).nested();
        assertThat(second.required(PfNl.Counter.PF_C_NAME, "name").string()).isEqualTo("bad-offset");
        assertThat(second.required(PfNl.Counter.PF_C_COUNTER, "counter").u64()).isEqualTo(0x0102030405060708L);
    }

    @Test
    void unsigned64BitValuesAreNotNarrowed() {
        byte[] msg = genlmsg(23, 0, 1, 11, HandFrame.nlaU64(1, -1L), nlaU32(2, 0xffffffffL));
        NlAttrs a = NetlinkMessage.parseAll(msg).get(0).attributes("t");
        assertThat(Long.toUnsignedString(a.get(0).u64())).isEqualTo("18446744073709551615");
        assertThat(a.get(1).u32()).isEqualTo(4294967295L);
    }

    @Test
    void nestedAndByteOrderFlagsAreNotPartOfTheType() {
        byte[] netOrder = new HandFrame().u16(8).u16(0x4000 | 5).u8(0).u8(0).u8(0x04).u8(0xd2).bytes();
        byte[] nestedFlag = HandFrame.nla(0x8000 | 6, nlaU32(1, 7));
        NlAttrs a = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, netOrder, nestedFlag)).get(0).attributes("t");
        assertThat(a.get(0).type()).isEqualTo(5);
        assertThat(a.get(0).u32()).isEqualTo(1234);
        assertThat(a.get(1).type()).isEqualTo(6);
        assertThat(a.get(1).nested().get(0).u32()).isEqualTo(7);
    }

    @Test
    void splitsADatagramHoldingSeveralMessages() {
        byte[] datagram = concat(genlmsg(23, 2, 9, 6, nlaU32(3, 4)), genlmsg(23, 2, 9, 6, nlaU32(3, 5)),
                HandFrame.done(9, 0));
        List<NetlinkMessage> ms = NetlinkMessage.parseAll(datagram);
        assertThat(ms).extracting(NetlinkMessage::type).containsExactly(23, 23, Netlink.NLMSG_DONE);
        assertThat(ms).extracting(NetlinkMessage::offset).containsExactly(0, 28, 56);
        assertThat(ms.get(1).attributes("t").get(0).u32()).isEqualTo(5);
        assertThat(ms.get(2).doneErrno()).isZero();
    }

    @Test
    void readsErrorsInBothSigns() {
        NetlinkMessage freebsd = NetlinkMessage.parseAll(HandFrame.nlmsgerr(5, 16, 23)).get(0);
        NetlinkMessage linux = NetlinkMessage.parseAll(HandFrame.nlmsgerr(5, -16, 23)).get(0);
        NetlinkMessage ack = NetlinkMessage.parseAll(HandFrame.nlmsgerr(5, 0, 23)).get(0);
        assertThat(freebsd.isError()).isTrue();
        assertThat(freebsd.errno()).isEqualTo(16);
        assertThat(linux.errno()).isEqualTo(16);
        assertThat(ack.errno()).isZero();
        assertThat(freebsd.erroredSeq()).isEqualTo(5);
    }

    // ---- malformed input: a clear error naming what is wrong and where

    @Test
    void shortHeader() {
        byte[] ten = new HandFrame().u32(16).u16(23).u16(0).u16(0).bytes();
        assertThatThrownBy(() -> NetlinkMessage.parseAll(ten))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("10 byte(s) at offset 0").hasMessageContaining("short message header");
    }

    @Test
    void messageLengthBelowTheHeader() {
        byte[] m = new HandFrame().u32(12).u16(23).u16(0).u32(1).u32(0).bytes();
        assertThatThrownBy(() -> NetlinkMessage.parseAll(m))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("nlmsg_len 12, less than its own header");
    }

    @Test
    void messageLengthBeyondWhatWasReceived() {
        byte[] m = genlmsg(23, 0, 1, 11, nlaU32(6, 1));
        byte[] cut = java.util.Arrays.copyOf(m, m.length - 4);
        assertThatThrownBy(() -> NetlinkMessage.parseAll(cut))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("nlmsg_len 28, beyond the 24 byte(s) received");
    }

    @Test
    void messageNotPaddedBeforeTheNext() {
        byte[] odd = new HandFrame().u32(21).u16(23).u16(0).u32(1).u32(0).u8(11).u8(0).u16(0).u8(0).bytes();
        byte[] datagram = concat(odd, genlmsg(23, 0, 1, 11));
        assertThatThrownBy(() -> NetlinkMessage.parseAll(datagram, odd.length))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("not padded to 4 bytes");
    }

    @Test
    void attributeLengthBeyondTheMessage() {
        byte[] bad = new HandFrame().u16(12).u16(6).u32(1234).bytes();   // claims 12, has 8
        NetlinkMessage m = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, bad)).get(0);
        assertThatThrownBy(() -> m.attributes("PFNL_CMD_GET_STATUS reply"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("PFNL_CMD_GET_STATUS reply: attribute 6 at offset 20 has nla_len 12, beyond the 8 byte(s) left");
    }

    @Test
    void attributeLengthBelowItsHeader() {
        byte[] bad = new HandFrame().u16(2).u16(6).u32(0).bytes();
        NetlinkMessage m = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, bad)).get(0);
        assertThatThrownBy(() -> m.attributes("r"))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("nla_len 2, less than its own header");
    }

    @Test
    void nonZeroPadding() {
        byte[] bad = new HandFrame().u16(5).u16(2).u8(1).u8(0).u8(0x7f).u8(0).bytes();
        NetlinkMessage m = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, bad)).get(0);
        assertThatThrownBy(() -> m.attributes("r"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("padding byte at offset 26 after attribute 2 is 0x7f, not zero");
    }

    @Test
    void paddingRunningPastTheEnclosingAttribute() {
        // a nested attribute of nla_len 9 holding a u8 attribute of nla_len 5: the inner padding
        // would lie outside the outer attribute
        byte[] inner = new HandFrame().u16(5).u16(1).u8(3).bytes();
        byte[] outer = concat(new HandFrame().u16(9).u16(10).bytes(), inner, new byte[3]);
        NlAttrs a = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, outer)).get(0).attributes("r");
        assertThatThrownBy(() -> a.get(0).nested())
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("r > attribute 10: attribute 1 at offset 24 (nla_len 5) is not padded to 4 bytes");
    }

    @Test
    void trailingBytesShorterThanAnAttributeHeader() {
        // nlmsg_len 30: header, genlmsghdr, one 8-byte attribute, then 2 stray bytes (and 2 bytes of
        // message padding up to 32)
        byte[] m = new HandFrame().u32(30).u16(23).u16(0).u32(1).u32(0).u8(11).u8(0).u16(0)
                .bytes(nlaU32(6, 1)).u16(0).zeros(2).bytes();
        NetlinkMessage msg = NetlinkMessage.parseAll(m).get(0);
        assertThatThrownBy(() -> msg.attributes("r"))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("2 byte(s) left at offset 28, fewer than an attribute header");
    }

    @Test
    void wrongWidthsAndUnterminatedStrings() {
        NlAttrs a = NetlinkMessage.parseAll(genlmsg(23, 0, 1, 11, HandFrame.nlaU64(6, 1),
                nla(1, new HandFrame().ascii("em0x").bytes()))).get(0).attributes("status");
        assertThatThrownBy(() -> a.get(0).u32())
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("status: attribute 6 at offset 20 has 8 byte(s) of payload, a u32 has 4");
        assertThatThrownBy(() -> a.get(1).string())
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("has no NUL within its 4 byte(s)");
    }

    @Test
    void genericHeaderMissing() {
        NetlinkMessage m = NetlinkMessage.parseAll(HandFrame.nlmsg(23, 0, 1, new byte[0])).get(0);
        assertThatThrownBy(m::genlCmd)
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("fewer than struct genlmsghdr (4)");
    }

    @Test
    void truncatedErrorMessage() {
        NetlinkMessage m = NetlinkMessage.parseAll(HandFrame.nlmsg(2, 0, 1, new HandFrame().u32(1).bytes())).get(0);
        assertThatThrownBy(m::errno)
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("struct nlmsgerr needs 20");
    }
}
