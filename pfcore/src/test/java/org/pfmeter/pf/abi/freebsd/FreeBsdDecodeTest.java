package org.pfmeter.pf.abi.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/**
 * The decoders against elements built by hand at the offsets the headers give (literals here, not
 * the layouts under test), as FreeBSD's kernel writes them on amd64, little-endian.
 */
class FreeBsdDecodeTest {

    static ByteBuffer buf(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void str(ByteBuffer b, int off, String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < v.length; i++) {
            b.put(off + i, v[i]);
        }
    }

    @Test
    void aKifAsPfKkifToKifWritesIt() {
        ByteBuffer b = buf(2 * 216);
        int base = 216;                                     // the second element of the array
        str(b, base, "em0");                                // pfik_name
        for (int i = 0; i < 8; i++) {
            b.putLong(base + 40 + 8 * i, 100 + i);          // pfik_packets[af][dir][action]
            b.putLong(base + 104 + 8 * i, 1000 + i);        // pfik_bytes
        }
        b.putLong(base + 104, 0xffff_ffff_ffff_fff0L);      // an unsigned 64-bit counter near the top
        b.putInt(base + 168, (int) 3_000_000_000L);         // pfik_tzero: u_int32_t past 2^31
        b.putInt(base + 172, 0x100);                        // pfik_flags: PFI_IFLAG_SKIP
        b.putInt(base + 192, 7);                            // pfik_rulerefs
        FreeBsdKif k = FreeBsdKif.decode(b, base);
        assertThat(k.name()).isEqualTo("em0");
        assertThat(k.tzero()).isEqualTo(3_000_000_000L);
        assertThat(k.flags()).isEqualTo(0x100);
        assertThat(k.rulerefs()).isEqualTo(7);
        assertThat(k.groupPointer()).isFalse();
        assertThat(k.counters().packets(AddressFamily.INET6, Direction.OUT, Action.BLOCK)).isEqualTo(107);
        assertThat(k.counters().packets(AddressFamily.INET, Direction.IN, Action.PASS)).isEqualTo(100);
        assertThat(Long.toUnsignedString(k.counters().bytes(AddressFamily.INET, Direction.IN, Action.PASS)))
                .isEqualTo("18446744073709551600");
        assertThat(k.counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS)).isEqualTo(1002);

        b.putLong(base + 184, 0xffff_f800_0123_4000L);      // a kernel that filled in pfik_group
        assertThat(FreeBsdKif.decode(b, base).groupPointer()).isTrue();
    }

    @Test
    void aKifRoundTripsThroughTheSimulatorsEncoder() {
        ByteBuffer b = buf(216);
        FreeBsdKif k = FreeBsdKif.decode(aKif(), 0);
        k.encode(b, 0);
        assertThat(b.array()).isEqualTo(aKif().array());
    }

    private static ByteBuffer aKif() {
        ByteBuffer b = buf(216);
        str(b, 0, "lo0");
        b.putLong(40, 5);
        b.putLong(104 + 56, 9);
        b.putInt(168, 1_764_000_000);
        b.putInt(192, 2);
        return b;
    }

    @Test
    void tableStatsPlaceFreeBsdsThreeOperationsByMeaning() {
        ByteBuffer b = buf(1200);
        str(b, 0, "customers/acme");                        // pfrts_t.pfrt_anchor
        str(b, 1024, "acme-nets");                          // pfrts_t.pfrt_name
        b.putInt(1056, 0x45);                               // pfrt_flags: ACTIVE|PERSIST|COUNTERS
        long[] packets = {10, 11, 12, 20, 21, 22};          // [in, out][block, pass, xpass]
        for (int i = 0; i < 6; i++) {
            b.putLong(1064 + 8 * i, packets[i]);
            b.putLong(1112 + 8 * i, packets[i] * 100);
        }
        b.putLong(1160, 7);                                 // pfrts_match
        b.putLong(1168, 8);                                 // pfrts_nomatch
        b.putLong(1176, 1_764_000_000L);                    // pfrts_tzero
        b.putInt(1184, 3);                                  // pfrts_cnt
        b.putInt(1188, 2);                                  // pfrts_refcnt[PFR_REFCNT_RULE]
        b.putInt(1192, 1);                                  // pfrts_refcnt[PFR_REFCNT_ANCHOR]
        TableStats t = FreeBsdTstats.decode(b, 0);
        assertThat(t.anchor()).isEqualTo("customers/acme");
        assertThat(t.name()).isEqualTo("acme-nets");
        assertThat(t.flags()).isEqualTo(0x45);
        assertThat(t.packets(Direction.IN, TableAction.BLOCK)).isEqualTo(10);
        assertThat(t.packets(Direction.IN, TableAction.PASS)).isEqualTo(11);
        assertThat(t.packets(Direction.IN, TableAction.XPASS)).isEqualTo(12);
        assertThat(t.packets(Direction.IN, TableAction.MATCH)).isZero();
        assertThat(t.packets(Direction.OUT, TableAction.XPASS)).isEqualTo(22);
        assertThat(t.bytes(Direction.OUT, TableAction.PASS)).isEqualTo(2100);
        assertThat(t.match()).isEqualTo(7);
        assertThat(t.nomatch()).isEqualTo(8);
        assertThat(t.cleared()).isEqualTo(1_764_000_000L);
        assertThat(t.addresses()).isEqualTo(3);
        assertThat(t.refRules()).isEqualTo(2);
        assertThat(t.refAnchors()).isEqualTo(1);

        ByteBuffer again = buf(1200);
        FreeBsdTstats.encode(t, again, 0);
        assertThat(again.array()).isEqualTo(b.array());
    }

    /** A pfioc_altq_v1 holding an HFSC class, at the header's offsets (altq at 16). */
    static ByteBuffer hfscEntry() {
        ByteBuffer b = buf(304);
        b.putInt(4, 9);                                     // ticket
        b.putInt(12, 1);                                    // version
        int q = 16;
        str(b, q, "em0");                                   // ifname
        b.put(q + 32, (byte) 8);                            // scheduler: ALTQT_HFSC
        b.putInt(q + 36, 3000);                             // tbrsize
        b.putLong(q + 40, 1_000_000_000L);                  // ifbandwidth
        str(b, q + 48, "ssh");                              // qname
        str(b, q + 112, "root_em0");                        // parent
        b.putInt(q + 176, 1);                               // parent_qid
        b.putLong(q + 184, 5_000_000_000L);                 // bandwidth: above 2^32, a u64 in v1
        b.put(q + 192, (byte) 3);                           // priority
        b.putShort(q + 194, (short) 500);                   // qlimit
        b.putInt(q + 200 + 72, 0x1000);                     // pq_u.hfsc_opts.flags: HFCF_DEFAULTCLASS
        b.putInt(q + 280, 4);                               // qid
        return b;
    }

    @Test
    void anAltqEntry() {
        FreeBsdAltq a = FreeBsdAltq.decode(hfscEntry());
        assertThat(a.ifname()).isEqualTo("em0");
        assertThat(a.scheduler()).isEqualTo(FreeBsdAltq.ALTQT_HFSC);
        assertThat(a.tbrsize()).isEqualTo(3000);
        assertThat(a.ifbandwidth()).isEqualTo(1_000_000_000L);
        assertThat(a.qname()).isEqualTo("ssh");
        assertThat(a.parent()).isEqualTo("root_em0");
        assertThat(a.parentQid()).isEqualTo(1);
        assertThat(a.bandwidth()).isEqualTo(5_000_000_000L);
        assertThat(a.priority()).isEqualTo(3);
        assertThat(a.qlimit()).isEqualTo(500);
        assertThat(a.qid()).isEqualTo(4);
        assertThat(a.isDefault()).isTrue();
        assertThat(a.hasStats()).isTrue();

        ByteBuffer again = buf(304);
        again.putInt(4, 9);
        again.putInt(12, 1);
        a.encode(again);
        assertThat(again.array()).isEqualTo(hfscEntry().array());
    }

    @Test
    void pfctlSkipsRootEntriesAndRemovedInterfacesButReadsCodelInterfaces() {
        ByteBuffer root = hfscEntry();
        root.putInt(16 + 280, 0);                           // qid 0: the interface's root entry
        assertThat(FreeBsdAltq.decode(root).hasStats()).isFalse();
        root.put(16 + 32, (byte) 14);                       // ALTQT_CODEL: an interface discipline
        assertThat(FreeBsdAltq.decode(root).hasStats()).isTrue();
        root.put(16 + 193, (byte) 1);                       // local_flags: PFALTQ_FLAG_IF_REMOVED
        assertThat(FreeBsdAltq.decode(root).hasStats()).isFalse();
    }

    @Test
    void hfscClassStatisticsV1() {
        ByteBuffer s = buf(472);
        s.putInt(204, 12);                                  // qlength
        s.putInt(208, 500);                                 // qlimit
        s.putLong(216, 1000);                               // xmit_cnt.packets
        s.putLong(224, 1_500_000);                          // xmit_cnt.bytes
        s.putLong(232, 3);                                  // drop_cnt.packets
        s.putLong(240, 4500);                               // drop_cnt.bytes
        FreeBsdAltq.ClassStats c = FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_HFSC, s, 472);
        assertThat(c).isEqualTo(new FreeBsdAltq.ClassStats(1000, 1_500_000, 3, 4500, 12, 500));
        QueueStats q = FreeBsdAltq.decode(hfscEntry()).toModel(c);
        assertThat(q.kind()).isEqualTo(QueueStats.Kind.HFSC);
        assertThat(q.flags() & QueueStats.PFQS_DEFAULT).isNotZero();
        assertThat(q.bandwidth()).isEqualTo(5_000_000_000L);
        assertThat(q.transmittedBytes()).isEqualTo(1_500_000);
        assertThat(q.length()).isEqualTo(12);
        assertThat(q.limit()).isEqualTo(500);
    }

    @Test
    void cbqKeepsItsQueueLengthInQcntAndQmax() {
        ByteBuffer s = buf(296);
        s.putLong(8, 50);                                   // xmit_cnt.packets
        s.putLong(16, 5000);                                // xmit_cnt.bytes
        s.putLong(24, 1);                                   // drop_cnt.packets
        s.putLong(32, 100);                                 // drop_cnt.bytes
        s.putInt(72, 50);                                   // qmax
        s.putInt(84, 2);                                    // qcnt
        assertThat(FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_CBQ, s, 296))
                .isEqualTo(new FreeBsdAltq.ClassStats(50, 5000, 1, 100, 2, 50));
    }

    @Test
    void priqAndFairq() {
        ByteBuffer p = buf(224);
        p.putInt(4, 1);                                     // qlength
        p.putInt(8, 60);                                    // qlimit
        p.putLong(16, 70);                                  // xmitcnt
        p.putLong(24, 7000);
        p.putLong(32, 2);                                   // dropcnt
        p.putLong(40, 200);
        assertThat(FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_PRIQ, p, 224))
                .isEqualTo(new FreeBsdAltq.ClassStats(70, 7000, 2, 200, 1, 60));
        ByteBuffer f = buf(256);
        f.putInt(4, 4);
        f.putInt(8, 80);
        f.putLong(16, 90);
        f.putLong(24, 9000);
        f.putLong(32, 5);
        f.putLong(40, 500);
        assertThat(FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_FAIRQ, f, 256))
                .isEqualTo(new FreeBsdAltq.ClassStats(90, 9000, 5, 500, 4, 80));
    }

    @Test
    void codelDropsAreTheClassDropsPlusTheAlgorithmsAsPfctlPrintsThem() {
        ByteBuffer s = buf(72);
        s.putInt(0, 3);                                     // qlength
        s.putInt(4, 1024);                                  // qlimit
        s.putLong(16, 4);                                   // stats.drop_cnt.packets
        s.putLong(24, 400);                                 // stats.drop_cnt.bytes
        s.putLong(40, 1000);                                // cl_xmitcnt
        s.putLong(48, 100_000);
        s.putLong(56, 6);                                   // cl_dropcnt
        s.putLong(64, 600);
        assertThat(FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_CODEL, s, 72))
                .isEqualTo(new FreeBsdAltq.ClassStats(1000, 100_000, 10, 1000, 3, 1024));
    }

    @Test
    void statisticsOfTheWrongSizeOrSchedulerAreMalformed() {
        assertThatThrownBy(() -> FreeBsdAltq.decodeStats(FreeBsdAltq.ALTQT_HFSC, buf(472), 440))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("hfsc_classstats_v1 has 472");
        assertThatThrownBy(() -> FreeBsdAltq.decodeStats(9, buf(472), 472))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("scheduler 9");
    }
}
