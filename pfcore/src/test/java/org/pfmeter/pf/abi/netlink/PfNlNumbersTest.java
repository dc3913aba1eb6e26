package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Pins every number of FreeBSD's sys/netpfil/pf/pf_nl.h that {@link PfNl} carries, typed from the
 * header as literals. Revisions read (pfcore/README.md, "FreeBSD (issue 18, in progress)"):
 * freebsd/freebsd-src main (pf_nl.h 017690e5, commands 1-47), jakobsen-lrz/pfsense-freebsd-src
 * 74a16333 (pfSense's 15-CURRENT tree at __FreeBSD_version 1500036, commands 1-30), opnsense/src
 * 496cf59f (OPNsense's FreeBSD 14 tree, the closest found to 14.3, commands 1-33), kenrap/freebsd-src f30bcb15 and secuedge/FreeBSD-src 3a940052 (commands 1-25),
 * fel1x-developer/freebsd-src 2d614aa2 (commands 1-6). In all of them every name that exists has the
 * number below: FreeBSD only appends, so these values hold for 14.3 and 15.0 alike; which commands a
 * given kernel has comes from its CTRL_ATTR_OPS list. Which commands each supported release is expected
 * to have, and how that was established, is pinned per release in {@code org.pfmeter.pf.abi.FreeBsdReleaseTest}.
 */
class PfNlNumbersTest {

    @Test
    void familyName() {
        assertThat(PfNl.PFNL_FAMILY_NAME).isEqualTo("pfctl");
    }

    @Test
    void commands() {
        assertThat(PfNl.Cmd.PFNL_CMD_GETSTATES).isEqualTo(1);
        assertThat(PfNl.Cmd.PFNL_CMD_GETCREATORS).isEqualTo(2);
        assertThat(PfNl.Cmd.PFNL_CMD_START).isEqualTo(3);
        assertThat(PfNl.Cmd.PFNL_CMD_STOP).isEqualTo(4);
        assertThat(PfNl.Cmd.PFNL_CMD_ADDRULE).isEqualTo(5);
        assertThat(PfNl.Cmd.PFNL_CMD_GETRULES).isEqualTo(6);
        assertThat(PfNl.Cmd.PFNL_CMD_GETRULE).isEqualTo(7);
        assertThat(PfNl.Cmd.PFNL_CMD_CLRSTATES).isEqualTo(8);
        assertThat(PfNl.Cmd.PFNL_CMD_KILLSTATES).isEqualTo(9);
        assertThat(PfNl.Cmd.PFNL_CMD_SET_STATUSIF).isEqualTo(10);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_STATUS).isEqualTo(11);
        assertThat(PfNl.Cmd.PFNL_CMD_CLEAR_STATUS).isEqualTo(12);
        assertThat(PfNl.Cmd.PFNL_CMD_NATLOOK).isEqualTo(13);
        assertThat(PfNl.Cmd.PFNL_CMD_SET_DEBUG).isEqualTo(14);
        assertThat(PfNl.Cmd.PFNL_CMD_SET_TIMEOUT).isEqualTo(15);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_TIMEOUT).isEqualTo(16);
        assertThat(PfNl.Cmd.PFNL_CMD_SET_LIMIT).isEqualTo(17);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_LIMIT).isEqualTo(18);
        assertThat(PfNl.Cmd.PFNL_CMD_BEGIN_ADDRS).isEqualTo(19);
        assertThat(PfNl.Cmd.PFNL_CMD_ADD_ADDR).isEqualTo(20);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_ADDRS).isEqualTo(21);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_ADDR).isEqualTo(22);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_RULESETS).isEqualTo(23);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_RULESET).isEqualTo(24);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_SRCNODES).isEqualTo(25);
        assertThat(PfNl.Cmd.PFNL_CMD_CLEAR_TABLES).isEqualTo(26);
        assertThat(PfNl.Cmd.PFNL_CMD_ADD_TABLE).isEqualTo(27);
        assertThat(PfNl.Cmd.PFNL_CMD_DEL_TABLE).isEqualTo(28);
        assertThat(PfNl.Cmd.PFNL_CMD_GET_TSTATS).isEqualTo(29);
        assertThat(PfNl.Cmd.PFNL_CMD_CLR_TSTATS).isEqualTo(30);
        assertThat(PfNl.Cmd.PFNL_CMD_CLR_ADDRS).isEqualTo(31);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_ADD_ADDR).isEqualTo(32);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_DEL_ADDR).isEqualTo(33);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_SET_ADDR).isEqualTo(34);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_GET_ADDR).isEqualTo(35);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_GET_ASTATS).isEqualTo(36);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_CLEAR_ASTATS).isEqualTo(37);
        assertThat(PfNl.Cmd.PFNL_CMD_STATE_LIMITER_ADD).isEqualTo(38);
        assertThat(PfNl.Cmd.PFNL_CMD_STATE_LIMITER_GET).isEqualTo(39);
        assertThat(PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET).isEqualTo(40);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_ADD).isEqualTo(41);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_GET).isEqualTo(42);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET).isEqualTo(43);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_GET).isEqualTo(44);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_NGET).isEqualTo(45);
        assertThat(PfNl.Cmd.PFNL_CMD_SOURCE_CLEAR).isEqualTo(46);
        assertThat(PfNl.Cmd.PFNL_CMD_TABLE_TEST_ADDRS).isEqualTo(47);
    }

    @Test
    void commandsAreOneToFortySevenWithoutGapsOrDuplicates() throws IllegalAccessException {
        Map<Integer, String> seen = values(PfNl.Cmd.class);
        assertThat(seen).hasSize(47);
        for (int i = 1; i <= 47; i++) {
            assertThat(seen).containsKey(i);
        }
    }

    @Test
    void getStatusAttributes() {
        assertThat(PfNl.GetStatus.PF_GS_IFNAME).isEqualTo(1);
        assertThat(PfNl.GetStatus.PF_GS_RUNNING).isEqualTo(2);
        assertThat(PfNl.GetStatus.PF_GS_SINCE).isEqualTo(3);
        assertThat(PfNl.GetStatus.PF_GS_DEBUG).isEqualTo(4);
        assertThat(PfNl.GetStatus.PF_GS_HOSTID).isEqualTo(5);
        assertThat(PfNl.GetStatus.PF_GS_STATES).isEqualTo(6);
        assertThat(PfNl.GetStatus.PF_GS_SRC_NODES).isEqualTo(7);
        assertThat(PfNl.GetStatus.PF_GS_REASSEMBLE).isEqualTo(8);
        assertThat(PfNl.GetStatus.PF_GS_SYNCOOKIES_ACTIVE).isEqualTo(9);
        assertThat(PfNl.GetStatus.PF_GS_COUNTERS).isEqualTo(10);
        assertThat(PfNl.GetStatus.PF_GS_LCOUNTERS).isEqualTo(11);
        assertThat(PfNl.GetStatus.PF_GS_FCOUNTERS).isEqualTo(12);
        assertThat(PfNl.GetStatus.PF_GS_SCOUNTERS).isEqualTo(13);
        assertThat(PfNl.GetStatus.PF_GS_CHKSUM).isEqualTo(14);
        assertThat(PfNl.GetStatus.PF_GS_PCOUNTERS).isEqualTo(15);
        assertThat(PfNl.GetStatus.PF_GS_BCOUNTERS).isEqualTo(16);
        assertThat(PfNl.GetStatus.PF_GS_NCOUNTERS).isEqualTo(17);
        assertThat(PfNl.GetStatus.PF_GS_FRAGMENTS).isEqualTo(18);
        assertThat(PfNl.Counter.PF_C_COUNTER).isEqualTo(1);
        assertThat(PfNl.Counter.PF_C_NAME).isEqualTo(2);
        assertThat(PfNl.Counter.PF_C_ID).isEqualTo(3);
    }

    @Test
    void ruleAttributes() {
        assertThat(PfNl.GetRules.PF_GR_ANCHOR).isEqualTo(1);
        assertThat(PfNl.GetRules.PF_GR_ACTION).isEqualTo(2);
        assertThat(PfNl.GetRules.PF_GR_NR).isEqualTo(3);
        assertThat(PfNl.GetRules.PF_GR_TICKET).isEqualTo(4);
        assertThat(PfNl.GetRules.PF_GR_CLEAR).isEqualTo(5);
        assertThat(PfNl.Rule.PF_RT_RIDENTIFIER).isEqualTo(3);
        assertThat(PfNl.Rule.PF_RT_LABELS).isEqualTo(4);
        assertThat(PfNl.Rule.PF_RT_IFNAME).isEqualTo(5);
        assertThat(PfNl.Rule.PF_RT_NR).isEqualTo(23);
        assertThat(PfNl.Rule.PF_RT_ACTION).isEqualTo(34);
        assertThat(PfNl.Rule.PF_RT_DIRECTION).isEqualTo(35);
        assertThat(PfNl.Rule.PF_RT_QUICK).isEqualTo(38);
        assertThat(PfNl.Rule.PF_RT_AF).isEqualTo(43);
        assertThat(PfNl.Rule.PF_RT_PROTO).isEqualTo(44);
        assertThat(PfNl.Rule.PF_RT_PACKETS_IN).isEqualTo(63);
        assertThat(PfNl.Rule.PF_RT_PACKETS_OUT).isEqualTo(64);
        assertThat(PfNl.Rule.PF_RT_BYTES_IN).isEqualTo(65);
        assertThat(PfNl.Rule.PF_RT_BYTES_OUT).isEqualTo(66);
        assertThat(PfNl.Rule.PF_RT_EVALUATIONS).isEqualTo(67);
        assertThat(PfNl.Rule.PF_RT_TIMESTAMP).isEqualTo(68);
        assertThat(PfNl.Rule.PF_RT_STATES_CUR).isEqualTo(69);
        assertThat(PfNl.Rule.PF_RT_STATES_TOTAL).isEqualTo(70);
        assertThat(PfNl.Rule.PF_RT_SRC_NODES).isEqualTo(71);
        assertThat(PfNl.Rule.PF_RT_ANCHOR_CALL).isEqualTo(72);
        assertThat(PfNl.Rule.PF_RT_SRC_NODES_LIMIT).isEqualTo(79);
        assertThat(PfNl.Rule.PF_RT_SRC_NODES_NAT).isEqualTo(80);
        assertThat(PfNl.Rule.PF_RT_SRC_NODES_ROUTE).isEqualTo(81);
        assertThat(PfNl.Labels.PF_LT_LABEL).isEqualTo(1);
        assertThat(PfNl.Labels.PF_RULE_MAX_LABEL_COUNT).isEqualTo(5);
        assertThat(PfNl.Labels.PF_RULE_LABEL_SIZE).isEqualTo(64);
    }

    @Test
    void limitTimeoutRulesetAttributes() {
        assertThat(PfNl.Timeout.PF_TO_TIMEOUT).isEqualTo(1);
        assertThat(PfNl.Timeout.PF_TO_SECONDS).isEqualTo(2);
        assertThat(PfNl.Limit.PF_LI_INDEX).isEqualTo(1);
        assertThat(PfNl.Limit.PF_LI_LIMIT).isEqualTo(2);
        assertThat(PfNl.Rulesets.PF_RS_PATH).isEqualTo(1);
        assertThat(PfNl.Rulesets.PF_RS_NR).isEqualTo(2);
        assertThat(PfNl.Rulesets.PF_RS_NAME).isEqualTo(3);
    }

    @Test
    void tableAttributes() {
        assertThat(PfNl.Tables.PF_T_ANCHOR).isEqualTo(1);
        assertThat(PfNl.Tables.PF_T_NAME).isEqualTo(2);
        assertThat(PfNl.Tables.PF_T_TABLE_FLAGS).isEqualTo(3);
        assertThat(PfNl.Tables.PF_T_FLAGS).isEqualTo(4);
        assertThat(PfNl.Tstats.PF_TS_TABLE).isEqualTo(1);
        assertThat(PfNl.Tstats.PF_TS_PACKETS).isEqualTo(2);
        assertThat(PfNl.Tstats.PF_TS_BYTES).isEqualTo(3);
        assertThat(PfNl.Tstats.PF_TS_MATCH).isEqualTo(4);
        assertThat(PfNl.Tstats.PF_TS_NOMATCH).isEqualTo(5);
        assertThat(PfNl.Tstats.PF_TS_TZERO).isEqualTo(6);
        assertThat(PfNl.Tstats.PF_TS_CNT).isEqualTo(7);
        assertThat(PfNl.Tstats.PF_TS_REFCNT).isEqualTo(8);
    }

    @Test
    void sourceNodeAndLimiterAttributes() {
        assertThat(PfNl.SrcNodes.PF_SN_ADDR).isEqualTo(1);
        assertThat(PfNl.SrcNodes.PF_SN_RADDR).isEqualTo(2);
        assertThat(PfNl.SrcNodes.PF_SN_RULE_NR).isEqualTo(3);
        assertThat(PfNl.SrcNodes.PF_SN_BYTES_IN).isEqualTo(4);
        assertThat(PfNl.SrcNodes.PF_SN_BYTES_OUT).isEqualTo(5);
        assertThat(PfNl.SrcNodes.PF_SN_PACKETS_IN).isEqualTo(6);
        assertThat(PfNl.SrcNodes.PF_SN_PACKETS_OUT).isEqualTo(7);
        assertThat(PfNl.SrcNodes.PF_SN_STATES).isEqualTo(8);
        assertThat(PfNl.SrcNodes.PF_SN_CONNECTIONS).isEqualTo(9);
        assertThat(PfNl.SrcNodes.PF_SN_AF).isEqualTo(10);
        assertThat(PfNl.SrcNodes.PF_SN_RULE_TYPE).isEqualTo(11);
        assertThat(PfNl.SrcNodes.PF_SN_CREATION).isEqualTo(12);
        assertThat(PfNl.SrcNodes.PF_SN_EXPIRE).isEqualTo(13);
        assertThat(PfNl.SrcNodes.PF_SN_CONNECTION_RATE).isEqualTo(14);
        assertThat(PfNl.SrcNodes.PF_SN_RAF).isEqualTo(15);
        assertThat(PfNl.SrcNodes.PF_SN_NODE_TYPE).isEqualTo(16);
        assertThat(PfNl.StateLimit.PF_SL_NAME).isEqualTo(2);
        assertThat(PfNl.StateLimit.PF_SL_ID).isEqualTo(3);
        assertThat(PfNl.StateLimit.PF_SL_LIMIT).isEqualTo(4);
        assertThat(PfNl.StateLimit.PF_SL_DESCR).isEqualTo(6);
        assertThat(PfNl.StateLimit.PF_SL_INUSE).isEqualTo(7);
        assertThat(PfNl.StateLimit.PF_SL_ADMITTED).isEqualTo(8);
        assertThat(PfNl.StateLimit.PF_SL_HARDLIMITED).isEqualTo(9);
        assertThat(PfNl.StateLimit.PF_SL_RATELIMITED).isEqualTo(10);
    }

    /** pf_nl.h 017690e5: pfstate_key_type_t, pfstate_peer_type_t, pfstate_type_t (PFNL_CMD_GETSTATES). */
    @Test
    void stateAttributes() {
        assertThat(PfNl.StateKey.PF_STK_ADDR0).isEqualTo(1);
        assertThat(PfNl.StateKey.PF_STK_ADDR1).isEqualTo(2);
        assertThat(PfNl.StateKey.PF_STK_PORT0).isEqualTo(3);
        assertThat(PfNl.StateKey.PF_STK_PORT1).isEqualTo(4);
        assertThat(PfNl.StateKey.PF_STK_AF).isEqualTo(5);
        assertThat(PfNl.StateKey.PF_STK_PROTO).isEqualTo(6);
        int[] peer = {PfNl.StatePeer.PF_STP_PFSS_FLAGS, PfNl.StatePeer.PF_STP_PFSS_TTL, PfNl.StatePeer.PF_STP_SCRUB_FLAG,
                PfNl.StatePeer.PF_STP_PFSS_TS_MOD, PfNl.StatePeer.PF_STP_SEQLO, PfNl.StatePeer.PF_STP_SEQHI,
                PfNl.StatePeer.PF_STP_SEQDIFF, PfNl.StatePeer.PF_STP_MAX_WIN, PfNl.StatePeer.PF_STP_MSS,
                PfNl.StatePeer.PF_STP_STATE, PfNl.StatePeer.PF_STP_WSCALE};
        assertThat(peer).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(PfNl.State.PF_ST_ID).isEqualTo(1);
        assertThat(PfNl.State.PF_ST_CREATORID).isEqualTo(2);
        assertThat(PfNl.State.PF_ST_IFNAME).isEqualTo(3);
        assertThat(PfNl.State.PF_ST_ORIG_IFNAME).isEqualTo(4);
        assertThat(PfNl.State.PF_ST_KEY_WIRE).isEqualTo(5);
        assertThat(PfNl.State.PF_ST_KEY_STACK).isEqualTo(6);
        assertThat(PfNl.State.PF_ST_PEER_SRC).isEqualTo(7);
        assertThat(PfNl.State.PF_ST_PEER_DST).isEqualTo(8);
        assertThat(PfNl.State.PF_ST_RT_ADDR).isEqualTo(9);
        assertThat(PfNl.State.PF_ST_RULE).isEqualTo(10);
        assertThat(PfNl.State.PF_ST_ANCHOR).isEqualTo(11);
        assertThat(PfNl.State.PF_ST_NAT_RULE).isEqualTo(12);
        assertThat(PfNl.State.PF_ST_CREATION).isEqualTo(13);
        assertThat(PfNl.State.PF_ST_EXPIRE).isEqualTo(14);
        assertThat(PfNl.State.PF_ST_PACKETS0).isEqualTo(15);
        assertThat(PfNl.State.PF_ST_PACKETS1).isEqualTo(16);
        assertThat(PfNl.State.PF_ST_BYTES0).isEqualTo(17);
        assertThat(PfNl.State.PF_ST_BYTES1).isEqualTo(18);
        assertThat(PfNl.State.PF_ST_AF).isEqualTo(19);
        assertThat(PfNl.State.PF_ST_PROTO).isEqualTo(21);
        assertThat(PfNl.State.PF_ST_DIRECTION).isEqualTo(22);
        assertThat(PfNl.State.PF_ST_LOG).isEqualTo(23);
        assertThat(PfNl.State.PF_ST_TIMEOUT).isEqualTo(24);
        assertThat(PfNl.State.PF_ST_STATE_FLAGS).isEqualTo(25);
        assertThat(PfNl.State.PF_ST_SYNC_FLAGS).isEqualTo(26);
        assertThat(PfNl.State.PF_ST_UPDATES).isEqualTo(27);
        assertThat(PfNl.State.PF_ST_VERSION).isEqualTo(28);
        assertThat(PfNl.State.PF_ST_FILTER_ADDR).isEqualTo(29);
        assertThat(PfNl.State.PF_ST_FILTER_MASK).isEqualTo(30);
        assertThat(PfNl.State.PF_ST_RTABLEID).isEqualTo(31);
        assertThat(PfNl.State.PF_ST_MIN_TTL).isEqualTo(32);
        assertThat(PfNl.State.PF_ST_MAX_MSS).isEqualTo(33);
        assertThat(PfNl.State.PF_ST_DNPIPE).isEqualTo(34);
        assertThat(PfNl.State.PF_ST_DNRPIPE).isEqualTo(35);
        assertThat(PfNl.State.PF_ST_RT).isEqualTo(36);
        assertThat(PfNl.State.PF_ST_RT_IFNAME).isEqualTo(37);
        assertThat(PfNl.State.PF_ST_SRC_NODE_FLAGS).isEqualTo(38);
        assertThat(PfNl.State.PF_ST_RT_AF).isEqualTo(39);
    }

    /** pf_nl.h 017690e5: pf_limit_rate_t, pf_state_limit_t, pf_source_limit_t, pf_source_t (commands 38-46). */
    @Test
    void limiterAttributes() {
        assertThat(PfNl.LimitRate.PF_LR_LIMIT).isEqualTo(1);
        assertThat(PfNl.LimitRate.PF_LR_SECONDS).isEqualTo(2);
        assertThat(PfNl.StateLimit.PF_SL_TICKET).isEqualTo(1);
        assertThat(PfNl.StateLimit.PF_SL_RATE).isEqualTo(5);
        int[] scl = {PfNl.SourceLimit.PF_SCL_TICKET, PfNl.SourceLimit.PF_SCL_NAME, PfNl.SourceLimit.PF_SCL_ID,
                PfNl.SourceLimit.PF_SCL_ENTRIES, PfNl.SourceLimit.PF_SCL_LIMIT, PfNl.SourceLimit.PF_SCL_RATE,
                PfNl.SourceLimit.PF_SCL_OVERLOAD_TBL_NAME, PfNl.SourceLimit.PF_SCL_OVERLOAD_HIGH_WM,
                PfNl.SourceLimit.PF_SCL_OVERLOAD_LOW_WM, PfNl.SourceLimit.PF_SCL_INET_PREFIX,
                PfNl.SourceLimit.PF_SCL_INET6_PREFIX, PfNl.SourceLimit.PF_SCL_DESCR, PfNl.SourceLimit.PF_SCL_NENTRIES,
                PfNl.SourceLimit.PF_SCL_INUSE, PfNl.SourceLimit.PF_SCL_ADDR_ALLOCS, PfNl.SourceLimit.PF_SCL_ADDR_NOMEM,
                PfNl.SourceLimit.PF_SCL_ADMITTED, PfNl.SourceLimit.PF_SCL_ADDRLIMITED,
                PfNl.SourceLimit.PF_SCL_HARDLIMITED, PfNl.SourceLimit.PF_SCL_RATELIMITED};
        assertThat(scl).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        int[] src = {PfNl.Source.PF_SRC_NAME, PfNl.Source.PF_SRC_ID, PfNl.Source.PF_SRC_AF, PfNl.Source.PF_SRC_RDOMAIN,
                PfNl.Source.PF_SRC_ADDR, PfNl.Source.PF_SRC_INUSE, PfNl.Source.PF_SRC_ADMITTED,
                PfNl.Source.PF_SRC_HARDLIMITED, PfNl.Source.PF_SRC_RATELIMITED, PfNl.Source.PF_SRC_LIMIT,
                PfNl.Source.PF_SRC_INET_PREFIX, PfNl.Source.PF_SRC_INET6_PREFIX};
        assertThat(src).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void noTwoNamesOfOneEnumShareANumber() throws IllegalAccessException {
        for (Class<?> c : PfNl.class.getDeclaredClasses()) {
            values(c);
        }
    }

    /** number -> name of the int constants a class declares; fails on a duplicate number. */
    private static Map<Integer, String> values(Class<?> c) throws IllegalAccessException {
        Map<Integer, String> seen = new HashMap<>();
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !f.getName().startsWith("PF_RULE_")) {
                String before = seen.put(f.getInt(null), f.getName());
                assertThat(before).as(c.getSimpleName() + "." + f.getName() + " repeats " + before).isNull();
            }
        }
        return seen;
    }
}
