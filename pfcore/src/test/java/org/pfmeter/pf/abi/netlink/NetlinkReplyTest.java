package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;

/** How one request's answer ends: the ACK, NLMSG_DONE, or an NLMSG_ERROR with the errno. */
class NetlinkReplyTest {

    private static NetlinkReply feed(long seq, byte[] datagram) {
        NetlinkReply r = new NetlinkReply(seq, "PFNL_CMD_TEST");
        for (NetlinkMessage m : NetlinkMessage.parseAll(datagram)) {
            if (r.accept(m)) {
                break;
            }
        }
        return r;
    }

    @Test
    void aSingleObjectAnswerEndsWithTheAcknowledgement() {
        // GET_STATUS: the reply (flags echoed from the request) and then NLMSG_ERROR 0 for NLM_F_ACK
        NetlinkReply r = feed(7, concat(genlmsg(23, 0x305, 7, 11, nlaU32(6, 3)), HandFrame.nlmsgerr(7, 0, 23)));
        assertThat(r.complete()).isTrue();
        assertThat(r.errno()).isZero();
        assertThat(r.single().attributes("t").get(0).u32()).isEqualTo(3);
    }

    @Test
    void aDumpEndsWithDoneAndKeepsEveryMessage() {
        byte[] datagram = concat(genlmsg(23, 2, 8, 29, nlaU32(4, 1)), genlmsg(23, 2, 8, 29, nlaU32(4, 2)),
                genlmsg(23, 2, 8, 29, nlaU32(4, 3)), HandFrame.done(8, 0));
        NetlinkReply r = feed(8, datagram);
        assertThat(r.complete()).isTrue();
        assertThat(r.messages()).hasSize(3);
        assertThat(r.messages().get(2).attributes("t").get(0).u32()).isEqualTo(3);
        assertThatThrownBy(r::single).hasMessageContaining("3 data messages, one expected");
    }

    @Test
    void anErrnoEndsTheAnswerWithoutData() {
        NetlinkReply r = feed(9, HandFrame.nlmsgerr(9, 16, 23));
        assertThat(r.complete()).isTrue();
        assertThat(r.errno()).isEqualTo(16);
        assertThat(r.messages()).isEmpty();
        assertThatThrownBy(r::single).hasMessageContaining("failed with errno 16");
    }

    @Test
    void aDumpCanEndWithAnError() {
        NetlinkReply r = feed(3, concat(genlmsg(23, 2, 3, 29, nlaU32(4, 1)), HandFrame.done(3, 12)));
        assertThat(r.errno()).isEqualTo(12);
        assertThat(r.messages()).isEmpty();
    }

    @Test
    void messagesOfAnotherRequestAndNoopsAreSkipped() {
        byte[] datagram = concat(genlmsg(23, 0, 4, 11, nlaU32(6, 99)), HandFrame.nlmsg(Netlink.NLMSG_NOOP, 0, 5, new byte[0]),
                genlmsg(23, 0, 5, 11, nlaU32(6, 1)), HandFrame.nlmsgerr(5, 0, 23));
        NetlinkReply r = feed(5, datagram);
        assertThat(r.complete()).isTrue();
        assertThat(r.single().attributes("t").get(0).u32()).isEqualTo(1);
    }

    @Test
    void incompleteUntilTheEnd() {
        NetlinkReply r = feed(6, genlmsg(23, 2, 6, 29, nlaU32(4, 1)));
        assertThat(r.complete()).isFalse();
        assertThatThrownBy(r::single).hasMessageContaining("not complete");
    }

    @Test
    void anInterruptedDumpIsFlagged() {
        NetlinkReply r = feed(6, concat(genlmsg(23, 0x12, 6, 1, nlaU32(4, 1)), HandFrame.done(6, 0)));
        assertThat(r.interrupted()).isTrue();
    }

    @Test
    void overrunIsMalformed() {
        NetlinkReply r = new NetlinkReply(1, "PFNL_CMD_GETSTATES");
        NetlinkMessage overrun = NetlinkMessage.parseAll(HandFrame.nlmsg(Netlink.NLMSG_OVERRUN, 0, 1, new byte[0])).get(0);
        assertThatThrownBy(() -> r.accept(overrun))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("PFNL_CMD_GETSTATES: NLMSG_OVERRUN");
    }
}
