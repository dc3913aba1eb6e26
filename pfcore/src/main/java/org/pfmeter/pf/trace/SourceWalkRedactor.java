package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Redacts the addresses of a source limiter's entries (DIOCGETSOURCE, DIOCGETNSOURCE) so that the
 * trace still replays: within one walk of one limiter (from the zero key to its end) the n-th
 * address of an (af, rdomain) becomes {@code 0.0.0.n} or {@code ::n}, which keeps the kernel's order,
 * and each batch's key becomes the successor of the placeholder of the entry it follows, which is
 * the key a reader of the redacted entries asks for. Counters stay.
 */
final class SourceWalkRedactor {

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 24;
    private static final int KEY_BYTES = 24;    // af, padding, rdomain, addr: what TraceFormat selects by

    /** One walk of one limiter: real (af, rdomain, addr) → placeholder, and the counters per (af, rdomain). */
    private static final class Walk {
        final Map<String, byte[]> fake = new HashMap<>();
        final Map<String, Integer> next = new HashMap<>();
    }

    private final Map<Long, Walk> walks = new HashMap<>();
    private String lastKey = "";

    private static boolean applies(PfIoctl io) {
        return io == PfIoctl.DIOCGETSOURCE || io == PfIoctl.DIOCGETNSOURCE;
    }

    void redactPointee(PfAbi abi, PfIoctl io, String field, ByteBuffer b, ByteBuffer arg) {
        if (!applies(io)) {
            return;
        }
        CStruct e = abi.struct("pfioc_source_entry");
        long id = NativeBytes.u32(arg, abi.struct("pfioc_source").offset("id"));
        if (field.equals("key")) {
            byte[] real = key(b, 0, e);
            if (isZero(real)) {
                walks.put(id, new Walk());      // a walk starts at the zero key
            }
            Walk w = walks.computeIfAbsent(id, x -> new Walk());
            byte[] fake = isZero(real) ? real : successor(w.fake.get(hex(predecessor(real))));
            write(b, 0, e, fake == null ? new byte[21] : fake);
            lastKey = NativeBytes.hex(b, 0, KEY_BYTES);
        } else if (field.equals("entries")) {
            Walk w = walks.computeIfAbsent(id, x -> new Walk());
            for (int base = 0; base + e.size() <= b.capacity(); base += e.size()) {
                int af = NativeBytes.u8(b, base + e.offset("af"));
                byte[] real = key(b, base, e);
                if (af != AF_INET && af != AF_INET6) {
                    real[0] = 0;
                    write(b, base, e, new byte[21]);
                    continue;
                }
                byte[] fake = w.fake.computeIfAbsent(hex(real), k -> placeholder(w, real));
                write(b, base, e, fake);
            }
        }
    }

    void redactSelect(PfIoctl io, ObjectNode select) {
        if (applies(io) && select.has("key")) {
            select.put("key", lastKey);
        }
    }

    private static byte[] placeholder(Walk w, byte[] real) {
        String group = hex(Arrays.copyOfRange(real, 0, 5));
        int n = w.next.merge(group, 1, Integer::sum);
        byte[] fake = Arrays.copyOf(real, 21);
        Arrays.fill(fake, 5, 21, (byte) 0);
        int at = real[0] == AF_INET ? 5 : 17;             // 0.0.0.n in the first word, ::n in the last
        fake[at] = (byte) (n >>> 24);
        fake[at + 1] = (byte) (n >>> 16);
        fake[at + 2] = (byte) (n >>> 8);
        fake[at + 3] = (byte) n;
        return fake;
    }

    /** (af, rdomain big-endian, addr), compared as pf_source_ioc_cmp() does. */
    private static byte[] key(ByteBuffer b, int base, CStruct e) {
        return org.pfmeter.pf.abi.LimiterProtocol.entryKey(b, base, e);
    }

    private static void write(ByteBuffer b, int base, CStruct e, byte[] k) {
        NativeBytes.putU8(b, base + e.offset("af"), k[0] & 0xff);
        NativeBytes.putU32(b, base + e.offset("rdomain"), (k[1] & 0xffL) << 24 | (k[2] & 0xffL) << 16 | (k[3] & 0xffL) << 8 | (k[4] & 0xffL));
        b.put(base + e.offset("addr"), k, 5, 16);
    }

    private static boolean isZero(byte[] k) {
        for (byte x : k) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] successor(byte[] k) {
        if (k == null) {
            return null;
        }
        byte[] n = k.clone();
        for (int i = n.length - 1; i >= 0; i--) {
            if (++n[i] != 0) {
                return n;
            }
        }
        return null;
    }

    private static byte[] predecessor(byte[] k) {
        byte[] p = k.clone();
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i]-- != 0) {
                return p;
            }
        }
        return p;
    }

    private static String hex(byte[] b) {
        return b == null ? "" : HexFormat.of().formatHex(b);
    }
}
