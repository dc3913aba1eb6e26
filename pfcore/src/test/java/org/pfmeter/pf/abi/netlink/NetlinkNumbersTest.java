package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

/**
 * Pins the numbers of FreeBSD's sys/netlink/netlink.h and netlink_generic.h that the codec uses, as
 * read in freebsd-src (netlink.h and netlink_generic.h at 013ab21c, netlink_generic.c at 031fb30f;
 * unchanged in the values below since netlink arrived in 13.2). Literal expectations: a typo in the
 * constants fails here, not on a firewall.
 */
class NetlinkNumbersTest {

    @Test
    void netlinkH() {
        assertThat(Netlink.ORDER).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(Netlink.NETLINK_GENERIC).isEqualTo(16);
        assertThat(Netlink.NLMSG_HDRLEN).isEqualTo(16);
        assertThat(Netlink.NLMSG_ALIGNTO).isEqualTo(4);
        assertThat(Netlink.NLA_ALIGNTO).isEqualTo(4);
        assertThat(Netlink.NLA_HDRLEN).isEqualTo(4);
        assertThat(Netlink.NLM_F_REQUEST).isEqualTo(0x01);
        assertThat(Netlink.NLM_F_MULTI).isEqualTo(0x02);
        assertThat(Netlink.NLM_F_ACK).isEqualTo(0x04);
        assertThat(Netlink.NLM_F_DUMP_INTR).isEqualTo(0x10);
        assertThat(Netlink.NLM_F_ROOT).isEqualTo(0x100);
        assertThat(Netlink.NLM_F_MATCH).isEqualTo(0x200);
        assertThat(Netlink.NLM_F_DUMP).isEqualTo(0x300);
        assertThat(Netlink.NLM_F_CAPPED).isEqualTo(0x100);
        assertThat(Netlink.NLM_F_ACK_TLVS).isEqualTo(0x200);
        assertThat(Netlink.NLMSG_NOOP).isEqualTo(1);
        assertThat(Netlink.NLMSG_ERROR).isEqualTo(2);
        assertThat(Netlink.NLMSG_DONE).isEqualTo(3);
        assertThat(Netlink.NLMSG_OVERRUN).isEqualTo(4);
        assertThat(Netlink.NLMSG_MIN_TYPE).isEqualTo(0x10);
        assertThat(Netlink.NLMSGERR_ATTR_MSG).isEqualTo(1);
        assertThat(Netlink.NLMSGERR_ATTR_OFFS).isEqualTo(2);
        assertThat(Netlink.NLA_F_NESTED).isEqualTo(0x8000);
        assertThat(Netlink.NLA_F_NET_BYTEORDER).isEqualTo(0x4000);
        assertThat(Netlink.NLA_TYPE_MASK).isEqualTo(0x3fff);
    }

    @Test
    void alignmentRoundsUpToFour() {
        assertThat(Netlink.align(0)).isEqualTo(0);
        assertThat(Netlink.align(1)).isEqualTo(4);
        assertThat(Netlink.align(4)).isEqualTo(4);
        assertThat(Netlink.align(5)).isEqualTo(8);
        assertThat(Netlink.align(22)).isEqualTo(24);
    }

    @Test
    void netlinkGenericH() {
        assertThat(GenericNetlink.GENL_HDRLEN).isEqualTo(4);
        assertThat(GenericNetlink.GENL_MIN_ID).isEqualTo(16);
        assertThat(GenericNetlink.GENL_ID_CTRL).isEqualTo(16);
        assertThat(GenericNetlink.GENL_MAX_ID).isEqualTo(1023);
        assertThat(GenericNetlink.GENL_NAMSIZ).isEqualTo(16);
        assertThat(GenericNetlink.CTRL_CMD_NEWFAMILY).isEqualTo(1);
        assertThat(GenericNetlink.CTRL_CMD_GETFAMILY).isEqualTo(3);
        assertThat(GenericNetlink.CTRL_ATTR_FAMILY_ID).isEqualTo(1);
        assertThat(GenericNetlink.CTRL_ATTR_FAMILY_NAME).isEqualTo(2);
        assertThat(GenericNetlink.CTRL_ATTR_VERSION).isEqualTo(3);
        assertThat(GenericNetlink.CTRL_ATTR_HDRSIZE).isEqualTo(4);
        assertThat(GenericNetlink.CTRL_ATTR_MAXATTR).isEqualTo(5);
        assertThat(GenericNetlink.CTRL_ATTR_OPS).isEqualTo(6);
        assertThat(GenericNetlink.CTRL_ATTR_MCAST_GROUPS).isEqualTo(7);
        assertThat(GenericNetlink.CTRL_ATTR_OP_ID).isEqualTo(1);
        assertThat(GenericNetlink.CTRL_ATTR_OP_FLAGS).isEqualTo(2);
        assertThat(GenericNetlink.GENL_ADMIN_PERM).isEqualTo(0x1);
        assertThat(GenericNetlink.GENL_CMD_CAP_DO).isEqualTo(0x2);
        assertThat(GenericNetlink.GENL_CMD_CAP_DUMP).isEqualTo(0x4);
        assertThat(GenericNetlink.GENL_CMD_CAP_HASPOL).isEqualTo(0x8);
    }
}
