package org.pfmeter.pf.abi.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.CStruct;

/**
 * Every size and offset pfmeter uses of FreeBSD's binary ioctl structs, amd64 (LP64), as literals
 * worked out by hand from the headers (pfvar.h and pf_altq.h of pfSense's 15-based tree 74a16333 and
 * kenrap/freebsd-src f30bcb15, pf.h's userland pfi_kif, sys/tree.h's three-pointer RB_ENTRY, altq_*.h
 * of freebsd/freebsd-src) and cross-checked with a throwaway C re-declaration compiled by gcc.
 */
class FreeBsdLayoutTest {

    private static void offsets(CStruct s, int size, Object... nameOffset) {
        assertThat(s.size()).as("sizeof(struct %s)", s.name()).isEqualTo(size);
        for (int i = 0; i < nameOffset.length; i += 2) {
            String[] path = ((String) nameOffset[i]).split("\\.");
            String[] rest = java.util.Arrays.copyOfRange(path, 1, path.length);
            assertThat(s.offset(path[0], rest)).as("offsetof(struct %s, %s)", s.name(), nameOffset[i])
                    .isEqualTo(nameOffset[i + 1]);
        }
    }

    @Test
    void pfiKifIsTheUserlandViewWithAThreePointerTreeEntry() {
        offsets(FreeBsdStructs.PFI_KIF, 216,
                "pfik_name", 0, "_pfik_glue", 16, "pfik_packets", 40, "pfik_bytes", 104, "pfik_tzero", 168,
                "pfik_flags", 172, "pfik_ifp", 176, "pfik_group", 184, "pfik_rulerefs", 192, "pfik_dynaddrs", 200);
        assertThat(FreeBsdStructs.RB_ENTRY.size()).isEqualTo(24);
        assertThat(FreeBsdKif.SIZE).isEqualTo(216);
    }

    @Test
    void pfiocIface() {
        offsets(FreeBsdStructs.PFIOC_IFACE, 40,
                "pfiio_name", 0, "pfiio_buffer", 16, "pfiio_esize", 24, "pfiio_size", 28, "pfiio_nzero", 32,
                "pfiio_flags", 36);
    }

    @Test
    void tableStatsHaveThreeOperationsPerDirection() {
        offsets(FreeBsdStructs.PFR_TABLE, 1064, "pfrt_anchor", 0, "pfrt_name", 1024, "pfrt_flags", 1056, "pfrt_fback", 1060);
        offsets(FreeBsdStructs.PFR_TSTATS, 1200,
                "pfrts_t", 0, "pfrts_t.pfrt_name", 1024, "pfrts_t.pfrt_flags", 1056, "pfrts_packets", 1064,
                "pfrts_bytes", 1112, "pfrts_match", 1160, "pfrts_nomatch", 1168, "pfrts_tzero", 1176, "pfrts_cnt", 1184,
                "pfrts_refcnt", 1188);
        offsets(FreeBsdStructs.PFIOC_TABLE, 1104,
                "pfrio_table", 0, "pfrio_buffer", 1064, "pfrio_esize", 1072, "pfrio_size", 1076, "pfrio_size2", 1080,
                "pfrio_flags", 1096, "pfrio_ticket", 1100);
        assertThat(FreeBsdStructs.PFR_OP_TABLE_MAX).isEqualTo(3);
        assertThat(FreeBsdStructs.PFR_OP_XPASS).isEqualTo(2);
        assertThat(FreeBsdStructs.PFR_FLAG_ALLRSETS).isEqualTo(0x40);
    }

    @Test
    void altqV1() {
        offsets(FreeBsdStructs.PF_ALTQ_V1, 288,
                "ifname", 0, "entries", 16, "scheduler", 32, "tbrsize", 36, "ifbandwidth", 40, "qname", 48, "parent", 112,
                "parent_qid", 176, "bandwidth", 184, "priority", 192, "local_flags", 193, "qlimit", 194, "flags", 196,
                "pq_u", 200, "pq_u.hfsc_opts.flags", 272, "pq_u.cbq_opts.flags", 232, "pq_u.priq_opts.flags", 200,
                "pq_u.fairq_opts.flags", 208, "qid", 280);
        assertThat(FreeBsdStructs.HFSC_OPTS_V1.size()).isEqualTo(80);
        offsets(FreeBsdStructs.PFIOC_ALTQ_V1, 304, "action", 0, "ticket", 4, "nr", 8, "version", 12, "altq", 16);
        offsets(FreeBsdStructs.PFIOC_QSTATS_V1, 32, "ticket", 0, "nr", 4, "buf", 8, "nbytes", 16, "scheduler", 20, "version", 24);
    }

    @Test
    void classStatisticsOfEveryScheduler() {
        offsets(FreeBsdStructs.CLASS_STATS, 296, "handle", 0, "xmit_cnt", 8, "drop_cnt", 24, "qmax", 72, "qcnt", 84);
        offsets(FreeBsdStructs.PRIQ_CLASSSTATS, 224, "class_handle", 0, "qlength", 4, "qlimit", 8, "xmitcnt", 16, "dropcnt", 32);
        offsets(FreeBsdStructs.HFSC_CLASSSTATS_V1, 472, "class_handle", 4, "qlength", 204, "qlimit", 208, "xmit_cnt", 216,
                "drop_cnt", 232);
        offsets(FreeBsdStructs.FAIRQ_CLASSSTATS, 256, "class_handle", 0, "qlength", 4, "qlimit", 8, "xmit_cnt", 16, "drop_cnt", 32);
        offsets(FreeBsdStructs.CODEL_IFSTATS, 72, "qlength", 0, "qlimit", 4, "stats", 8, "stats.drop_cnt", 16, "cl_xmitcnt", 40,
                "cl_dropcnt", 56);
        assertThat(FreeBsdStructs.REDSTATS.size()).isEqualTo(56);
        assertThat(FreeBsdStructs.CODEL_STATS.size()).isEqualTo(32);
        assertThat(FreeBsdAltq.statsBufferSize()).as("pfctl's union class_stats").isEqualTo(472);
    }

    @Test
    void altqNumbersAreAltqHs() {
        assertThat(new int[] {FreeBsdAltq.ALTQT_CBQ, FreeBsdAltq.ALTQT_HFSC, FreeBsdAltq.ALTQT_PRIQ, FreeBsdAltq.ALTQT_FAIRQ,
                FreeBsdAltq.ALTQT_CODEL}).containsExactly(1, 8, 11, 13, 14);
        assertThat(FreeBsdAltq.PFIOC_ALTQ_VERSION).isEqualTo(1);
        assertThat(FreeBsdAltq.statsVersion(FreeBsdAltq.ALTQT_HFSC)).isEqualTo(1);
        assertThat(FreeBsdAltq.statsVersion(FreeBsdAltq.ALTQT_CBQ)).isZero();
        assertThat(FreeBsdAltq.statsVersion(FreeBsdAltq.ALTQT_CODEL)).isZero();
        assertThat(FreeBsdAltq.PFALTQ_FLAG_IF_REMOVED).isEqualTo(1);
        assertThat(FreeBsdAltq.DEFAULTCLASS).isEqualTo(0x1000);
        assertThat(FreeBsdAltq.CBQCLF_DEFCLASS).isEqualTo(0x2000);
    }
}
