package org.pfmeter.pf.sim.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.FreeBsdRelease;

/**
 * Every number the simulated FreeBSD writes that the reader's {@code PfNl} does not already pin, as
 * literals from FreeBSD's sources: pf_nl.h (enum pf_rule_type_t and the nested enums, main
 * 017690e5), pf.h (PFRES_NAMES, KLCNT_NAMES, FCNT_NAMES, PF_LIMIT_MAX, PFTM_MAX, the rulesets),
 * netlink_message_writer.h (NLMSG_SMALL), netlink_var.h (NLMBUFSIZE) and pf_nl.c (the command table,
 * the family's registration).
 */
class FreeBsdSimNumbersTest {

    @Test
    void ruleAttributes() {
        int[] got = {FreeBsdRuleHandlers.PF_RT_SRC, FreeBsdRuleHandlers.PF_RT_DST, FreeBsdRuleHandlers.PF_RT_QNAME,
            FreeBsdRuleHandlers.PF_RT_PQNAME, FreeBsdRuleHandlers.PF_RT_TAGNAME, FreeBsdRuleHandlers.PF_RT_MATCH_TAGNAME,
            FreeBsdRuleHandlers.PF_RT_OVERLOAD_TBLNAME, FreeBsdRuleHandlers.PF_RT_RPOOL_RDR,
            FreeBsdRuleHandlers.PF_RT_OS_FINGERPRINT, FreeBsdRuleHandlers.PF_RT_RTABLEID, FreeBsdRuleHandlers.PF_RT_TIMEOUT,
            FreeBsdRuleHandlers.PF_RT_MAX_STATES, FreeBsdRuleHandlers.PF_RT_MAX_SRC_NODES,
            FreeBsdRuleHandlers.PF_RT_MAX_SRC_STATES, FreeBsdRuleHandlers.PF_RT_MAX_SRC_CONN_RATE_LIMIT,
            FreeBsdRuleHandlers.PF_RT_MAX_SRC_CONN_RATE_SECS, FreeBsdRuleHandlers.PF_RT_DNPIPE,
            FreeBsdRuleHandlers.PF_RT_DNRPIPE, FreeBsdRuleHandlers.PF_RT_DNFLAGS, FreeBsdRuleHandlers.PF_RT_PROB,
            FreeBsdRuleHandlers.PF_RT_CUID, FreeBsdRuleHandlers.PF_RT_CPID, FreeBsdRuleHandlers.PF_RT_RETURN_ICMP,
            FreeBsdRuleHandlers.PF_RT_RETURN_ICMP6, FreeBsdRuleHandlers.PF_RT_MAX_MSS, FreeBsdRuleHandlers.PF_RT_SCRUB_FLAGS,
            FreeBsdRuleHandlers.PF_RT_UID, FreeBsdRuleHandlers.PF_RT_GID, FreeBsdRuleHandlers.PF_RT_RULE_FLAG,
            FreeBsdRuleHandlers.PF_RT_LOG, FreeBsdRuleHandlers.PF_RT_LOGIF, FreeBsdRuleHandlers.PF_RT_IF_NOT,
            FreeBsdRuleHandlers.PF_RT_MATCH_TAG_NOT, FreeBsdRuleHandlers.PF_RT_NATPASS,
            FreeBsdRuleHandlers.PF_RT_KEEP_STATE, FreeBsdRuleHandlers.PF_RT_TYPE, FreeBsdRuleHandlers.PF_RT_CODE,
            FreeBsdRuleHandlers.PF_RT_FLAGS, FreeBsdRuleHandlers.PF_RT_FLAGSET, FreeBsdRuleHandlers.PF_RT_MIN_TTL,
            FreeBsdRuleHandlers.PF_RT_ALLOW_OPTS, FreeBsdRuleHandlers.PF_RT_RT, FreeBsdRuleHandlers.PF_RT_RETURN_TTL,
            FreeBsdRuleHandlers.PF_RT_TOS, FreeBsdRuleHandlers.PF_RT_SET_TOS, FreeBsdRuleHandlers.PF_RT_ANCHOR_RELATIVE,
            FreeBsdRuleHandlers.PF_RT_ANCHOR_WILDCARD, FreeBsdRuleHandlers.PF_RT_FLUSH, FreeBsdRuleHandlers.PF_RT_PRIO,
            FreeBsdRuleHandlers.PF_RT_SET_PRIO, FreeBsdRuleHandlers.PF_RT_SET_PRIO_REPLY,
            FreeBsdRuleHandlers.PF_RT_DIVERT_ADDRESS, FreeBsdRuleHandlers.PF_RT_DIVERT_PORT,
            FreeBsdRuleHandlers.PF_RT_RCV_IFNAME, FreeBsdRuleHandlers.PF_RT_MAX_SRC_CONN,
            FreeBsdRuleHandlers.PF_RT_RPOOL_NAT, FreeBsdRuleHandlers.PF_RT_NAF, FreeBsdRuleHandlers.PF_RT_RPOOL_RT,
            FreeBsdRuleHandlers.PF_RT_RCV_IFNOT, FreeBsdRuleHandlers.PF_RT_PKTRATE, FreeBsdRuleHandlers.PF_RT_MAX_PKT_SIZE,
            FreeBsdRuleHandlers.PF_RT_TYPE_2, FreeBsdRuleHandlers.PF_RT_CODE_2, FreeBsdRuleHandlers.PF_RT_EXPTIME};
        assertThat(got).containsExactly(1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26,
                27, 28, 29, 30, 31, 32, 33, 36, 37, 39, 40, 41, 42, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,
                58, 59, 60, 61, 62, 73, 74, 75, 76, 77, 78, 82, 83, 84, 85, 86);
    }

    @Test
    void nestedRuleEnums() {
        assertThat(new int[] {FreeBsdRuleHandlers.PF_RAT_ADDR, FreeBsdRuleHandlers.PF_RAT_SRC_PORT,
            FreeBsdRuleHandlers.PF_RAT_DST_PORT, FreeBsdRuleHandlers.PF_RAT_NEG, FreeBsdRuleHandlers.PF_RAT_OP})
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(new int[] {FreeBsdRuleHandlers.PF_AT_ADDR, FreeBsdRuleHandlers.PF_AT_MASK,
            FreeBsdRuleHandlers.PF_AT_TABLENAME, FreeBsdRuleHandlers.PF_AT_TYPE, FreeBsdRuleHandlers.PF_AT_IFLAGS,
            FreeBsdRuleHandlers.PF_AT_TBLCNT}).containsExactly(1, 2, 4, 5, 6, 7);
        assertThat(new int[] {FreeBsdRuleHandlers.PF_PT_KEY, FreeBsdRuleHandlers.PF_PT_COUNTER,
            FreeBsdRuleHandlers.PF_PT_TBLIDX, FreeBsdRuleHandlers.PF_PT_PROXY_SRC_PORT,
            FreeBsdRuleHandlers.PF_PT_PROXY_DST_PORT, FreeBsdRuleHandlers.PF_PT_OPTS, FreeBsdRuleHandlers.PF_PT_MAPE})
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(new int[] {FreeBsdRuleHandlers.PF_MET_OFFSET, FreeBsdRuleHandlers.PF_MET_PSID_LEN,
            FreeBsdRuleHandlers.PF_MET_PSID}).containsExactly(1, 2, 3);
        assertThat(new int[] {FreeBsdRuleHandlers.PF_RUT_UID_LOW, FreeBsdRuleHandlers.PF_RUT_UID_HIGH,
            FreeBsdRuleHandlers.PF_RUT_OP}).containsExactly(1, 2, 3);
        assertThat(new int[] {FreeBsdRuleHandlers.PF_ADDR_ADDRMASK, FreeBsdRuleHandlers.PF_ADDR_TABLE,
            FreeBsdRuleHandlers.PF_OP_EQ, FreeBsdRuleHandlers.PF_STATE_NORMAL, FreeBsdRuleHandlers.PF_RULESET_FILTER,
            FreeBsdRuleHandlers.PF_RULESET_MAX}).containsExactly(0, 3, 2, 1, 1, 5);
    }

    @Test
    void rulesetNumbersFollowPfGetRulesetNumber() {
        // PF_PASS 0, PF_DROP 1, PF_SCRUB 2, PF_NOSCRUB 3, PF_NAT 4 … PF_NORDR 9, PF_SYNPROXY_DROP 10, PF_DEFER 11, PF_MATCH 12
        int[] rs = new int[14];
        for (int a = 0; a < rs.length; a++) {
            rs[a] = FreeBsdRuleHandlers.rulesetNumber(a);
        }
        assertThat(rs).containsExactly(1, 1, 0, 0, 2, 2, 3, 3, 4, 4, 5, 5, 1, 5);
    }

    @Test
    void counterNameTablesAndLimits() {
        assertThat(FreeBsdPfHandlers.PFRES_NAMES).hasSize(16).startsWith("match", "bad-offset").endsWith("map-failed");
        assertThat(FreeBsdPfHandlers.KLCNT_NAMES).hasSize(10).endsWith("synfloods detected", "syncookies sent",
                "syncookies validated");
        assertThat(FreeBsdPfHandlers.FCNT_NAMES).containsExactly("searches", "inserts", "removals");
        assertThat(FreeBsdPfHandlers.PF_LIMIT_MAX).isEqualTo(4);
        assertThat(FreeBsdPfHandlers.PFTM_MAX).isEqualTo(25);
        assertThat(FreeBsdPfHandlers.FREEBSD_AF_INET6).isEqualTo(28);
        assertThat(FreeBsdPfHandlers.freebsdOps(new long[] {1, 2, 3, 4, 5, 6, 7, 8})).containsExactly(1, 3, 4, 5, 7, 8);
    }

    @Test
    void writerBuffersAndFamilyRegistration() {
        assertThat(FreeBsdNlWriter.NLMSG_SMALL).isEqualTo(128);
        assertThat(FreeBsdNlWriter.NLMBUFSIZE).isEqualTo(2048);
        assertThat(SimulatedFreeBsd.PFNL_FAMILY_VERSION).isEqualTo(2);
        assertThat(SimulatedFreeBsd.PFNL_CMD_MAX_MAIN).isEqualTo(47);
        assertThat(FreeBsdGenl.CTRL_ATTR_MAX).isEqualTo(10);
        assertThat(SimulatedFreeBsd.CMD_NAMES).hasSize(37);
        assertThat(SimulatedFreeBsd.CMD_NAMES.get(10)).isEqualTo("GETSTATUS");
        assertThat(SimulatedFreeBsd.CMD_NAMES.get(28)).isEqualTo("GET_TSTATS");
        assertThat(new int[] {SimulatedFreeBsd.flags(1), SimulatedFreeBsd.flags(3), SimulatedFreeBsd.flags(11),
            SimulatedFreeBsd.flags(19), SimulatedFreeBsd.flags(29), SimulatedFreeBsd.flags(30)})
                .containsExactly(14, 10, 12, 14, 12, 10);
        assertThat(SimulatedRelease.of(FreeBsdRelease.FREEBSD_15_0).familyId()).isEqualTo(18);
        assertThat(SimulatedRelease.of(FreeBsdRelease.FREEBSD_14_3).familyId()).isEqualTo(17);
    }
}
