package org.pfmeter.pf.abi;

import org.pfmeter.pf.abi.netlink.PfNl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Pins, per supported FreeBSD release, its {@code __FreeBSD_version} and the pf netlink commands it is
 * expected to register, typed as literals from the trees read (pfcore/README.md, "Which commands
 * 14.3 and 15.0 have"):
 *
 * <ul>
 *   <li>opnsense/src 496cf59f sys/netpfil/pf/pf_nl.h: PFNL_CMD_GETSTATES = 1 .. PFNL_CMD_TABLE_DEL_ADDR = 33
 *       (OPNsense's FreeBSD 14 tree, the closest found to releng/14.3);</li>
 *   <li>jakobsen-lrz/pfsense-freebsd-src 74a16333 sys/netpfil/pf/pf_nl.h: 1 .. PFNL_CMD_CLR_TSTATS = 30,
 *       sys/sys/param.h of the same commit: {@code #define __FreeBSD_version 1500036};</li>
 *   <li>kenrap/freebsd-src f30bcb15: 1 .. PFNL_CMD_GET_SRCNODES = 25 at __FreeBSD_version 1500030;
 *       fel1x-developer/freebsd-src 2d614aa2: 1 .. 6 at 1500012 (main grew in that order);</li>
 *   <li>15.0-RELEASE is __FreeBSD_version 1500068 and releng/15.0 was branched on 2025-10-03 (the
 *       15.0 schedule, lists.freebsd.org freebsd-stable 2025-April/002798); OpenBSD's pfvar.h first
 *       has state limiters on 2025-11-11 (bluhm+sys a40fd103c).</li>
 * </ul>
 */
class FreeBsdReleaseTest {

    private static SortedSet<Integer> range(int from, int to) {
        SortedSet<Integer> s = new TreeSet<>();
        for (int i = from; i <= to; i++) {
            s.add(i);
        }
        return s;
    }

    @Test
    void theSupportedReleasesAndTheirFreeBsdVersion() {
        assertThat(FreeBsdRelease.values()).containsExactly(FreeBsdRelease.FREEBSD_14_3, FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.FREEBSD_14_3.version()).isEqualTo("14.3");
        assertThat(FreeBsdRelease.FREEBSD_14_3.freebsdVersion()).isEqualTo(1403000);
        assertThat(FreeBsdRelease.FREEBSD_15_0.version()).isEqualTo("15.0");
        assertThat(FreeBsdRelease.FREEBSD_15_0.freebsdVersion()).isEqualTo(1500068);
        assertThat(FreeBsdRelease.supported()).isEqualTo("14.3, 15.0");
    }

    /** The per-release command table: how each set was established, and the set. */
    @Test
    void commandsPerRelease() {
        assertThat(FreeBsdRelease.FREEBSD_14_3.basis()).isEqualTo(FreeBsdRelease.Basis.CLOSEST_TREE);
        assertThat(FreeBsdRelease.FREEBSD_14_3.commands()).isEqualTo(range(1, 33));
        assertThat(FreeBsdRelease.FREEBSD_14_3.source()).startsWith("opnsense/src 496cf59f sys/netpfil/pf/pf_nl.h");

        assertThat(FreeBsdRelease.FREEBSD_15_0.basis()).isEqualTo(FreeBsdRelease.Basis.LOWER_BOUND);
        assertThat(FreeBsdRelease.FREEBSD_15_0.commands()).isEqualTo(range(1, 30));
        assertThat(FreeBsdRelease.FREEBSD_15_0.source()).startsWith("jakobsen-lrz/pfsense-freebsd-src 74a16333")
                .contains("__FreeBSD_version 1500036");

        for (FreeBsdRelease r : FreeBsdRelease.values()) {
            assertThat(r.absent()).as(r.version()).isEqualTo(range(38, 47));
            assertThat(r.commands()).as(r.version()).doesNotContainAnyElementsOf(r.absent());
        }
    }

    /** The table names commands by PfNl's constants, whose numbers PfNlNumbersTest pins. */
    @Test
    void theSetsAreThoseNumbersUnderTheirNames() {
        assertThat(FreeBsdRelease.FREEBSD_15_0.commands().last()).isEqualTo(PfNl.Cmd.PFNL_CMD_CLR_TSTATS);
        assertThat(FreeBsdRelease.FREEBSD_14_3.commands().last()).isEqualTo(PfNl.Cmd.PFNL_CMD_TABLE_DEL_ADDR);
        assertThat(FreeBsdRelease.ABSENT_FROM_ALL.first()).isEqualTo(PfNl.Cmd.PFNL_CMD_STATE_LIMITER_ADD);
        assertThat(FreeBsdRelease.ABSENT_FROM_ALL.last()).isEqualTo(PfNl.Cmd.PFNL_CMD_TABLE_TEST_ADDRS);
    }

    @Test
    void whatPfmeterSendsAndWhatEachReleaseLacksOfIt() {
        assertThat(FreeBsdRelease.PFMETER_READS).containsExactly(6, 7, 11, 16, 18, 23, 24, 25, 29, 40, 43);
        for (FreeBsdRelease r : FreeBsdRelease.values()) {
            // every read but the limiter walks: the limiters are "not present" on both
            assertThat(r.readsNotExpected()).as(r.version()).containsExactly(40, 43);
            assertThat(r.hasLimiters()).as(r.version()).isFalse();
            assertThat(r.expects(29)).as(r.version() + " GET_TSTATS").isTrue();
        }
    }

    /** PF_GS_NCOUNTERS (17) and PF_GS_FRAGMENTS (18) are main's; both releases end at PF_GS_BCOUNTERS. */
    @Test
    void statusAttributesEndAtBcounters() {
        assertThat(FreeBsdRelease.MAX_STATUS_ATTRIBUTE).isEqualTo(16);
        assertThat(PfNl.GetStatus.PF_GS_NCOUNTERS).isGreaterThan(FreeBsdRelease.MAX_STATUS_ATTRIBUTE);
        assertThat(PfNl.GetStatus.PF_GS_FRAGMENTS).isGreaterThan(FreeBsdRelease.MAX_STATUS_ATTRIBUTE);
    }

    @Test
    void theReleaseFromUnameR() {
        assertThat(FreeBsdRelease.forKernelRelease("14.3-RELEASE")).contains(FreeBsdRelease.FREEBSD_14_3);
        assertThat(FreeBsdRelease.forKernelRelease("14.3-RELEASE-p4")).contains(FreeBsdRelease.FREEBSD_14_3);
        assertThat(FreeBsdRelease.forKernelRelease(" 15.0-RELEASE\n")).contains(FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.forKernelRelease("15.0-RC1")).contains(FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.forKernelRelease("15.0-beta2")).contains(FreeBsdRelease.FREEBSD_15_0);
        for (String other : List.of("15.0-STABLE", "16.0-CURRENT", "14.2-RELEASE", "15.1-RELEASE", "7.8", "", "6.18.44")) {
            assertThat(FreeBsdRelease.forKernelRelease(other)).as(other).isEmpty();
        }
        assertThat(FreeBsdRelease.forKernelRelease(null)).isEmpty();
    }

    @Test
    void theReleaseFromOsreldate() {
        assertThat(FreeBsdRelease.forOsreldate(1403000)).contains(FreeBsdRelease.FREEBSD_14_3);
        assertThat(FreeBsdRelease.forOsreldate(1403499)).contains(FreeBsdRelease.FREEBSD_14_3);
        assertThat(FreeBsdRelease.forOsreldate(1500068)).contains(FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.forOsreldate(1500499)).contains(FreeBsdRelease.FREEBSD_15_0);
        // stable/14 after 14.3, 15-CURRENT before releng/15.0, stable/15, main
        for (int other : new int[] {1403500, 1402000, 1500036, 1500067, 1500500, 1501000, 1600000}) {
            assertThat(FreeBsdRelease.forOsreldate(other)).as(Integer.toString(other)).isEqualTo(Optional.empty());
        }
    }
}
