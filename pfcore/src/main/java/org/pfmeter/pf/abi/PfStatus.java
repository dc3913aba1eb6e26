package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.FCNT_MAX;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.LCNT_MAX;
import static org.pfmeter.pf.abi.PfConstants.NCNT_MAX;
import static org.pfmeter.pf.abi.PfConstants.PFRES_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_MD5_DIGEST_LENGTH;
import static org.pfmeter.pf.abi.PfConstants.SCNT_MAX;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.LogInterface;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.SyncookieMode;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TrafficCounters;

/** struct pf_status (DIOCGETSTATUS). */
public final class PfStatus {

    static CStruct define() {
        return CStruct.struct("pf_status")
                .field("counters", array(U_INT64, PFRES_MAX))      // u_int64_t counters[PFRES_MAX]
                .field("lcounters", array(U_INT64, LCNT_MAX))      // u_int64_t lcounters[LCNT_MAX]
                .field("fcounters", array(U_INT64, FCNT_MAX))      // u_int64_t fcounters[FCNT_MAX]
                .field("scounters", array(U_INT64, SCNT_MAX))      // u_int64_t scounters[SCNT_MAX]
                .field("ncounters", array(U_INT64, NCNT_MAX))      // u_int64_t ncounters[NCNT_MAX]
                .field("pcounters", array(U_INT64, 2, 2, 3))       // u_int64_t pcounters[2][2][3]
                .field("bcounters", array(U_INT64, 2, 2))          // u_int64_t bcounters[2][2]
                .field("stateid", U_INT64)                         // u_int64_t
                .field("syncookies_inflight", array(U_INT64, 2))   // u_int64_t [2]
                .field("since", TIME)                              // time_t
                .field("running", U_INT32)                         // u_int32_t
                .field("states", U_INT32)
                .field("states_halfopen", U_INT32)
                .field("src_nodes", U_INT32)
                .field("fragments", U_INT32)
                .field("debug", U_INT32)
                .field("hostid", U_INT32)
                .field("reass", U_INT32)
                .field("syncookies_active", U_INT8)                // u_int8_t
                .field("syncookies_mode", U_INT8)                  // u_int8_t
                .field("pad", array(U_INT8, 2))                    // u_int8_t pad[2]
                .field("ifname", chars(IFNAMSIZ))                  // char ifname[IFNAMSIZ]
                .field("pf_chksum", array(U_INT8, PF_MD5_DIGEST_LENGTH))
                .build();
    }

    private final CStruct layout;
    private final int counters;
    private final int lcounters;
    private final int fcounters;
    private final int scounters;
    private final int ncounters;
    private final int pcounters;
    private final int bcounters;
    private final int stateid;
    private final int inflight;
    private final int since;
    private final int running;
    private final int states;
    private final int statesHalfopen;
    private final int srcNodes;
    private final int fragments;
    private final int debug;
    private final int hostid;
    private final int reass;
    private final int syncookiesActive;
    private final int syncookiesMode;
    private final int ifname;
    private final int chksum;

    PfStatus(CStruct layout) {
        this.layout = layout;
        counters = layout.offset("counters");
        lcounters = layout.offset("lcounters");
        fcounters = layout.offset("fcounters");
        scounters = layout.offset("scounters");
        ncounters = layout.offset("ncounters");
        pcounters = layout.offset("pcounters");
        bcounters = layout.offset("bcounters");
        stateid = layout.offset("stateid");
        inflight = layout.offset("syncookies_inflight");
        since = layout.offset("since");
        running = layout.offset("running");
        states = layout.offset("states");
        statesHalfopen = layout.offset("states_halfopen");
        srcNodes = layout.offset("src_nodes");
        fragments = layout.offset("fragments");
        debug = layout.offset("debug");
        hostid = layout.offset("hostid");
        reass = layout.offset("reass");
        syncookiesActive = layout.offset("syncookies_active");
        syncookiesMode = layout.offset("syncookies_mode");
        ifname = layout.offset("ifname");
        chksum = layout.offset("pf_chksum");
    }

    public CStruct layout() {
        return layout;
    }

    /** Decodes a pf_status; the watermarks come from a separate DIOCGETSYNFLWATS. */
    public Status decode(ByteBuffer b, long hiwat, long lowat) {
        long[] p = new long[8];
        long[] by = new long[8];
        for (int af = 0; af < 2; af++) {
            for (int dir = 0; dir < 2; dir++) {
                for (int action = 0; action < 2; action++) {
                    // pcounters[af][dir][3]: index 2 is never counted by the kernel
                    p[af * 4 + dir * 2 + action] = NativeBytes.u64(b, pcounters + 8 * (af * 6 + dir * 3 + action));
                }
                by[af * 4 + dir * 2] = NativeBytes.u64(b, bcounters + 8 * (af * 2 + dir));
            }
        }
        return new Status(
                NativeBytes.u32(b, running) != 0,
                NativeBytes.u64(b, since),
                NativeBytes.s32(b, debug),
                NativeBytes.u32(b, hostid),
                NativeBytes.s32(b, reass),
                NativeBytes.u64(b, stateid),
                NativeBytes.u32(b, states),
                NativeBytes.u32(b, statesHalfopen),
                NativeBytes.u32(b, srcNodes),
                NativeBytes.u32(b, fragments),
                NativeBytes.u8(b, syncookiesActive) != 0,
                syncookieMode(NativeBytes.u8(b, syncookiesMode)),
                new long[] {NativeBytes.u64(b, inflight), NativeBytes.u64(b, inflight + 8)},
                EnumCounters.of(Reason.class, u64s(b, counters, PFRES_MAX)),
                EnumCounters.of(LimitCounter.class, u64s(b, lcounters, LCNT_MAX)),
                EnumCounters.of(TableOperation.class, u64s(b, fcounters, FCNT_MAX)),
                EnumCounters.of(TableOperation.class, u64s(b, scounters, SCNT_MAX)),
                EnumCounters.of(TableOperation.class, u64s(b, ncounters, NCNT_MAX)),
                new LogInterface(NativeBytes.cString(b, ifname, IFNAMSIZ), TrafficCounters.of(p, by)),
                NativeBytes.hex(b, chksum, PF_MD5_DIGEST_LENGTH),
                hiwat,
                lowat);
    }

    private static SyncookieMode syncookieMode(int value) {
        if (value >= SyncookieMode.values().length) {
            throw new MalformedAnswerException("syncookies_mode " + value + " is none of never (0), always (1), adaptive (2)");
        }
        return SyncookieMode.of(value);
    }

    /** Writes {@code s} as the kernel would (the simulator's side). */
    public void encode(Status s, ByteBuffer b) {
        putU64s(b, counters, s.counters().toArray());
        putU64s(b, lcounters, s.limitCounters().toArray());
        putU64s(b, fcounters, s.stateOperations().toArray());
        putU64s(b, scounters, s.srcNodeOperations().toArray());
        putU64s(b, ncounters, s.fragmentOperations().toArray());
        long[] p = s.logInterface().counters().packetsArray();
        long[] by = s.logInterface().counters().bytesArray();
        for (int af = 0; af < 2; af++) {
            for (int dir = 0; dir < 2; dir++) {
                for (int action = 0; action < 2; action++) {
                    NativeBytes.putU64(b, pcounters + 8 * (af * 6 + dir * 3 + action), p[af * 4 + dir * 2 + action]);
                }
                NativeBytes.putU64(b, bcounters + 8 * (af * 2 + dir), by[af * 4 + dir * 2]);
            }
        }
        NativeBytes.putU64(b, stateid, openBsd(s.stateid(), "stateid"));
        long[] cookies = s.syncookiesInflight();
        if (cookies.length != 2) {
            throw new IllegalArgumentException("an OpenBSD pf_status has syncookies_inflight[2]");
        }
        NativeBytes.putU64(b, inflight, cookies[0]);
        NativeBytes.putU64(b, inflight + 8, cookies[1]);
        NativeBytes.putU64(b, since, s.since());
        NativeBytes.putU32(b, running, s.running() ? 1 : 0);
        NativeBytes.putU32(b, states, s.states());
        NativeBytes.putU32(b, statesHalfopen, openBsd(s.statesHalfopen(), "states_halfopen"));
        NativeBytes.putU32(b, srcNodes, s.srcNodes());
        NativeBytes.putU32(b, fragments, openBsd(s.fragments(), "fragments"));
        NativeBytes.putU32(b, debug, s.debug());
        NativeBytes.putU32(b, hostid, s.hostid());
        NativeBytes.putU32(b, reass, s.reass());
        NativeBytes.putU8(b, syncookiesActive, s.syncookiesActive() ? 1 : 0);
        NativeBytes.putU8(b, syncookiesMode, s.syncookiesMode().orElseThrow(
                () -> new IllegalArgumentException("an OpenBSD pf_status has syncookies_mode")).ordinal());
        NativeBytes.putCString(b, ifname, IFNAMSIZ, s.logInterface().ifname());
        NativeBytes.putHex(b, chksum, PF_MD5_DIGEST_LENGTH, s.checksum());
    }

    /** A field every OpenBSD pf_status has: a Status without it (another platform's) cannot be written. */
    private static long openBsd(java.util.OptionalLong v, String field) {
        return v.orElseThrow(() -> new IllegalArgumentException("an OpenBSD pf_status has " + field));
    }

    static long[] u64s(ByteBuffer b, int off, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = NativeBytes.u64(b, off + 8 * i);
        }
        return v;
    }

    static void putU64s(ByteBuffer b, int off, long[] v) {
        for (int i = 0; i < v.length; i++) {
            NativeBytes.putU64(b, off + 8 * i, v[i]);
        }
    }
}
