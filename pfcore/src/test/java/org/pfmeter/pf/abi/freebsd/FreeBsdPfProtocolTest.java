package org.pfmeter.pf.abi.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.QueueStats;

/**
 * The ioctl walks against a kernel scripted by hand (each answer written at the header's offsets):
 * buffer growth as pfi_get_ifaces() and pfr_get_tstats() ask for it, groups found through the
 * interface filter, the ALTQ walk restarted on a stale ticket, entries skipped as pfctl skips them.
 */
class FreeBsdPfProtocolTest {

    /** A /dev/pf whose answers are a function of the call; records the calls. */
    static final class ScriptedDevice implements PfDevice {
        final ToIntFunction<IoctlCall> kernel;
        final List<String> calls = new ArrayList<>();

        ScriptedDevice(ToIntFunction<IoctlCall> kernel) {
            this.kernel = kernel;
        }

        @Override
        public int ioctl(IoctlCall call) {
            calls.add(call.name() + ":" + call.argument().capacity());
            return kernel.applyAsInt(call);
        }

        @Override
        public String kernelRelease() {
            return "15.0-RELEASE";
        }

        @Override
        public String describe() {
            return "scripted /dev/pf";
        }

        @Override
        public void close() {
        }
    }

    static void kif(ByteBuffer b, int i, String name, long inPassPackets) {
        int base = i * 216;
        byte[] n = name.getBytes();
        for (int j = 0; j < n.length; j++) {
            b.put(base + j, n[j]);
        }
        b.putLong(base + 40, inPassPackets);                    // pfik_packets[INET][IN][PASS]
        b.putInt(base + 192, 1);                                 // pfik_rulerefs
    }

    /** pfi_get_ifaces() over kifs "all", "em0", "em1", "lo", "lo0": "all" holds em0, em1, lo0; "lo" holds lo0. */
    static int ifaces(IoctlCall c) {
        ByteBuffer a = c.argument();
        if (a.getInt(24) != 216) {
            return 19;
        }
        String filter = new String(a.array(), 0, 16).replace("\0", "");
        List<String> names = switch (filter) {
            case "" -> List.of("all", "em0", "em1", "lo", "lo0");
            case "all" -> List.of("all", "em0", "em1", "lo0");
            case "lo" -> List.of("lo", "lo0");
            default -> List.of(filter);
        };
        int capacity = a.getInt(28);
        ByteBuffer buf = c.pointee(16).orElseThrow();
        int n = 0;
        for (String name : names) {
            if (capacity <= n++) {
                break;
            }
            kif(buf, n - 1, name, name.startsWith("em") ? 10 * (name.charAt(2) - '0' + 1) : name.equals("lo0") ? 5 : 0);
        }
        a.putInt(28, n);
        return 0;
    }

    @Test
    void groupsAreFoundByTheirFilterAndSumTheirMembers() throws PfIoctlException {
        ScriptedDevice d = new ScriptedDevice(FreeBsdPfProtocolTest::ifaces);
        List<InterfaceCounters> l = new FreeBsdPfProtocol(d, 3).readInterfaces();
        assertThat(l).extracting(InterfaceCounters::name).containsExactly("all", "em0", "em1", "lo", "lo0");
        InterfaceCounters all = l.get(0);
        assertThat(all.group()).isTrue();
        assertThat(all.members()).containsExactly("em0", "em1", "lo0");
        assertThat(all.counters().packetsArray()[0]).isEqualTo(10 + 20 + 5);
        assertThat(l.get(3).members()).containsExactly("lo0");
        assertThat(l.get(1).group()).isFalse();
        assertThat(l.get(1).rules()).isEqualTo(1);
        assertThat(d.calls).as("one call for the list, one per name that may be a group").hasSize(3);
    }

    @Test
    void anAnswerAboveTheCapacityGrowsTheBufferToIt() throws PfIoctlException {
        int[] capacities = new int[2];
        ScriptedDevice d = new ScriptedDevice(c -> {
            ByteBuffer a = c.argument();
            int capacity = a.getInt(28);
            if (capacities[0] == 0) {
                capacities[0] = capacity;
                a.putInt(28, 300);                              // "there are more": the kernel's count
                return 0;
            }
            capacities[1] = capacity;
            ByteBuffer buf = c.pointee(16).orElseThrow();
            for (int i = 0; i < 300; i++) {
                kif(buf, i, "if" + i, i);
            }
            a.putInt(28, 300);
            return 0;
        });
        List<InterfaceCounters> l = new FreeBsdPfProtocol(d, 3).readInterfaces();
        assertThat(capacities[0]).isEqualTo(64);
        assertThat(capacities[1]).isEqualTo(300);
        assertThat(l).hasSize(300);
        assertThat(l.get(299).name()).isEqualTo("if299");
    }

    @Test
    void aWrongElementSizeIsAnAbiMismatch() {
        ScriptedDevice d = new ScriptedDevice(c -> 19);
        assertThatThrownBy(() -> new FreeBsdPfProtocol(d, 3).readInterfaces()).isInstanceOfSatisfying(PfIoctlException.class, e -> {
            assertThat(e.error().kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
            assertThat(e.error().errnoName()).isEqualTo("ENODEV");
            assertThat(e.getMessage()).contains("struct pfi_kif 216 bytes");
        });
        ScriptedDevice denied = new ScriptedDevice(c -> 13);
        assertThatThrownBy(() -> new FreeBsdPfProtocol(denied, 3).readTables()).isInstanceOfSatisfying(PfIoctlException.class,
                e -> assertThat(e.error().kind()).isEqualTo(PfError.Kind.PERMISSION));
    }

    /** An ALTQ kernel: ticket 9, entries root(em0, qid 0), "std" (qid 1), "gone" (qid 2, interface removed), "ssh" (qid 3). */
    static final class Altq {
        int busyOnce = -1;                                      // the nr whose first GETQSTATS answers EBUSY
        int enxio = -1;
        final List<String> calls = new ArrayList<>();

        int answer(IoctlCall c) {
            ByteBuffer a = c.argument();
            calls.add(c.name());
            switch (c.name()) {
                case "DIOCGETALTQSV1" -> {
                    a.putInt(4, 9);
                    a.putInt(8, 4);
                    return 0;
                }
                case "DIOCGETALTQV1" -> {
                    if (a.getInt(4) != 9) {
                        return 16;
                    }
                    int nr = a.getInt(8);
                    String[] names = {"", "std", "gone", "ssh"};
                    new FreeBsdAltq("em0", FreeBsdAltq.ALTQT_PRIQ, 3000, 100_000_000L, names[nr], "", 0,
                            nr == 0 ? 0 : 10_000_000L, nr, nr == 2 ? FreeBsdAltq.PFALTQ_FLAG_IF_REMOVED : 0, 50, 0,
                            nr == 1 ? FreeBsdAltq.DEFAULTCLASS : 0, nr).encode(a);
                    return 0;
                }
                default -> {
                    int nr = a.getInt(4);
                    if (nr == busyOnce) {
                        busyOnce = -1;
                        return 16;
                    }
                    if (nr == enxio) {
                        return 6;
                    }
                    if (a.getInt(16) < 224 || a.getInt(24) != 0) {
                        return 22;
                    }
                    ByteBuffer s = c.pointee(8).orElseThrow();
                    s.putInt(4, nr);                            // qlength
                    s.putInt(8, 50);                            // qlimit
                    s.putLong(16, 100L * nr);                   // xmitcnt.packets
                    s.putLong(24, -1L);                         // xmitcnt.bytes: 2^64 - 1
                    a.put(20, (byte) FreeBsdAltq.ALTQT_PRIQ);
                    a.putInt(16, 224);
                    return 0;
                }
            }
        }
    }

    @Test
    void theAltqWalkAsPfctlDoesIt() throws PfIoctlException {
        Altq k = new Altq();
        List<QueueStats> q = new FreeBsdPfProtocol(new ScriptedDevice(k::answer), 3).readQueues().orElseThrow();
        assertThat(q).extracting(QueueStats::name).containsExactly("std", "ssh");
        assertThat(q.get(0).kind()).isEqualTo(QueueStats.Kind.PRIQ);
        assertThat(q.get(0).flags()).isEqualTo(QueueStats.PFQS_DEFAULT);
        assertThat(q.get(1).transmittedPackets()).isEqualTo(300);
        assertThat(Long.toUnsignedString(q.get(1).transmittedBytes())).isEqualTo("18446744073709551615");
        assertThat(q.get(1).length()).isEqualTo(3);
        assertThat(k.calls).as("no statistics asked for the root entry nor the removed interface's queue")
                .containsExactly("DIOCGETALTQSV1", "DIOCGETALTQV1", "DIOCGETALTQV1", "DIOCGETQSTATSV1", "DIOCGETALTQV1",
                        "DIOCGETALTQV1", "DIOCGETQSTATSV1");
    }

    @Test
    void aStaleTicketStartsTheWalkOverAndAVanishedInterfaceIsSkipped() throws PfIoctlException {
        Altq k = new Altq();
        k.busyOnce = 3;
        k.enxio = 1;
        List<QueueStats> q = new FreeBsdPfProtocol(new ScriptedDevice(k::answer), 3).readQueues().orElseThrow();
        assertThat(q).extracting(QueueStats::name).containsExactly("ssh");
        assertThat(k.calls.stream().filter("DIOCGETALTQSV1"::equals)).hasSize(2);

        ScriptedDevice busy = new ScriptedDevice(c -> c.name().equals("DIOCGETALTQSV1") ? new Altq().answer(c) : 16);
        assertThatThrownBy(() -> new FreeBsdPfProtocol(busy, 2).readQueues()).isInstanceOfSatisfying(PfIoctlException.class,
                e -> assertThat(e.error().kind()).isEqualTo(PfError.Kind.BUSY));
    }

    @Test
    void enodevOnTheFirstAltqCallMeansNoAltq() throws PfIoctlException {
        assertThat(new FreeBsdPfProtocol(new ScriptedDevice(c -> 19), 3).readQueues()).isEmpty();
    }

    @Test
    void tablesGrowToTheCountTheKernelReports() throws PfIoctlException {
        List<Integer> sizes = new ArrayList<>();
        ScriptedDevice d = new ScriptedDevice(c -> {
            ByteBuffer a = c.argument();
            if (a.getInt(1072) != 1200 || a.getInt(1096) != 0x40) {
                return 19;
            }
            int size = a.getInt(1076);
            sizes.add(size);
            if (size < 100) {
                a.putInt(1076, 100);                            // pfr_get_tstats(): the count, nothing written
                return 0;
            }
            ByteBuffer buf = c.pointee(1064).orElseThrow();
            for (int i = 0; i < 100; i++) {
                buf.put(i * 1200 + 1024, (byte) ('a' + i % 26));
                buf.putInt(i * 1200 + 1184, i);
            }
            a.putInt(1076, 100);
            return 0;
        });
        var t = new FreeBsdPfProtocol(d, 3).readTables();
        assertThat(sizes).containsExactly(64, 100);
        assertThat(t).hasSize(100);
        assertThat(t.get(99).addresses()).isEqualTo(99);
    }

    @Test
    void hostileAnswersAreMalformedNeverAnotherException() {
        ScriptedDevice noNul = new ScriptedDevice(c -> {
            ByteBuffer buf = c.pointee(16).orElseThrow();
            for (int i = 0; i < 16; i++) {
                buf.put(i, (byte) 'x');                         // pfik_name without its NUL
            }
            c.argument().putInt(28, 1);
            return 0;
        });
        assertThatThrownBy(() -> new FreeBsdPfProtocol(noNul, 3).readInterfaces()).isInstanceOfSatisfying(PfIoctlException.class,
                e -> assertThat(e.error().kind()).isEqualTo(PfError.Kind.MALFORMED));
        ScriptedDevice negative = new ScriptedDevice(c -> {
            c.argument().putInt(c.name().equals("DIOCIGETIFACES") ? 28 : 1076, -5);
            return 0;
        });
        assertThatThrownBy(() -> new FreeBsdPfProtocol(negative, 3).readInterfaces()).isInstanceOf(PfIoctlException.class);
        assertThatThrownBy(() -> new FreeBsdPfProtocol(negative, 3).readTables()).isInstanceOf(PfIoctlException.class);

        java.util.SplittableRandom r = new java.util.SplittableRandom(18);
        for (int round = 0; round < 150; round++) {
            ScriptedDevice junk = new ScriptedDevice(c -> {
                ByteBuffer a = c.argument();
                for (int i = 0; i < a.capacity(); i += 4) {
                    a.putInt(i, r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(70));
                }
                for (IoctlCall.Pointee p : c.pointees()) {
                    ByteBuffer b = p.buffer();
                    for (int i = 0; i + 8 <= b.capacity(); i += 8) {
                        b.putLong(i, r.nextInt(4) == 0 ? r.nextLong() : 0);
                    }
                }
                return r.nextInt(10) == 0 ? 16 : 0;
            });
            FreeBsdPfProtocol p = new FreeBsdPfProtocol(junk, 2);
            for (Runnable read : List.<Runnable>of(() -> quietly(p::readInterfaces), () -> quietly(p::readQueues),
                    () -> quietly(p::readTables))) {
                read.run();
            }
        }
    }

    interface Read {
        Object get() throws PfIoctlException;
    }

    /** Runs a read; a PfIoctlException is the only acceptable failure (any other exception fails the test). */
    static void quietly(Read r) {
        try {
            r.get();
        } catch (PfIoctlException expected) {
            assertThat(expected.error()).isNotNull();
        }
    }
}
