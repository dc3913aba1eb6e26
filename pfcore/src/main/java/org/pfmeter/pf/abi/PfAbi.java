package org.pfmeter.pf.abi;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One release's pf ABI: every struct layout pfmeter uses and every request number, computed from
 * those layouts. Built once per release ({@link AbiRelease#abi()}); immutable.
 */
public final class PfAbi {

    private final AbiRelease release;
    private final Map<String, CStruct> structs;
    private final Map<PfIoctl, Long> requests;
    private final PfStatus status;
    private final PfiKif kif;
    private final PfiocRule rule;
    private final PfrTstats tstats;
    private final QueueCodec queue;
    private final PfSrcNode srcNode;
    private final PfsyncState pfsyncState;
    private final Pfsyncstats pfsync;
    private final PfrAstats astats;

    PfAbi(AbiRelease release) {
        this.release = release;
        Map<String, CStruct> s = new LinkedHashMap<>();
        CStruct pfRule = PfRule.define(release);
        CStruct pfrTable = PfrTstats.definePfrTable();
        CStruct queuespec = PfQueuespec.define();
        put(s, PfStatus.define());
        put(s, PfiocScalars.pfiocLimit());
        put(s, PfiocScalars.pfiocTm());
        put(s, PfiocScalars.pfiocSynflwats());
        put(s, PfiocIface.define());
        put(s, PfiKif.define());
        put(s, PfiocRule.define(pfRule));
        put(s, pfRule);
        put(s, PfiocRuleset.define());
        put(s, PfrTstats.definePfiocTable(pfrTable));
        put(s, pfrTable);
        put(s, PfrTstats.define(pfrTable));
        put(s, PfQueuespec.definePfiocQueue(queuespec));
        put(s, PfQueuespec.definePfiocQstats(queuespec));
        put(s, queuespec);
        put(s, PfQueuespec.PF_QUEUE_SCSPEC);
        put(s, PfQueuespec.PF_QUEUE_BWSPEC);
        put(s, PfQueuespec.PF_QUEUE_FQSPEC);
        put(s, QueueStatsBuffers.hfscClassStats(release));
        put(s, QueueStatsBuffers.hfscSc(release));
        put(s, QueueStatsBuffers.pktcntr("hfsc_pktcntr"));
        put(s, QueueStatsBuffers.fqcodelStats());
        put(s, PfRuleParts.PF_RULE_ADDR);
        put(s, PfRuleParts.PF_ADDR_WRAP);
        put(s, PfRuleParts.PF_POOL);
        put(s, PfRuleParts.PF_ADDR);
        put(s, PfSrcNode.definePfiocSrcNodes());
        put(s, PfSrcNode.define());
        if (release.hasLimiters()) {
            put(s, PfiocLimiters.statelim());
            put(s, PfiocLimiters.sourcelim());
            put(s, PfiocLimiters.source());
            put(s, PfiocLimiters.sourceEntry());
        }
        PfsyncState.defineAll().forEach(st -> put(s, st));
        put(s, Pfsyncstats.define());
        CStruct pfrAddr = PfrAstats.definePfrAddr();
        put(s, pfrAddr);
        put(s, PfrAstats.define(pfrAddr));
        this.structs = Collections.unmodifiableMap(s);

        Map<PfIoctl, Long> r = new EnumMap<>(PfIoctl.class);
        for (PfIoctl io : PfIoctl.values()) {
            if (!io.presentIn(release)) {
                continue;
            }
            int size = io.argument().equals("u_int32_t") ? 4 : struct(io.argument()).size();
            r.put(io, Ioccom.iowr(PfIoctl.GROUP, io.number(), size));
        }
        this.requests = Collections.unmodifiableMap(r);

        this.status = new PfStatus(struct("pf_status"));
        this.kif = new PfiKif(struct("pfi_kif"));
        this.rule = new PfiocRule(struct("pfioc_rule"));
        this.tstats = new PfrTstats(struct("pfr_tstats"));
        this.queue = new QueueCodec(struct("pfioc_qstats"), struct("hfsc_class_stats"), struct("fqcodel_stats"));
        this.srcNode = new PfSrcNode(struct("pf_src_node"));
        this.pfsyncState = new PfsyncState(struct("pfsync_state"), struct("pfioc_states"));
        this.pfsync = new Pfsyncstats(struct("pfsyncstats"));
        this.astats = new PfrAstats(struct("pfr_astats"));
    }

    private static void put(Map<String, CStruct> m, CStruct s) {
        m.put(s.name(), s);
    }

    public AbiRelease release() {
        return release;
    }

    /** Every struct by C tag, in a stable order. */
    public Map<String, CStruct> structs() {
        return structs;
    }

    public CStruct struct(String cName) {
        CStruct s = structs.get(cName);
        if (s == null) {
            throw new NoSuchElementException("no struct " + cName + " in the " + release.version() + " ABI");
        }
        return s;
    }

    /** The request number of {@code ioctl} in this release; see {@link PfIoctl#presentIn}. */
    public long request(PfIoctl ioctl) {
        Long r = requests.get(ioctl);
        if (r == null) {
            throw new IllegalArgumentException(ioctl.name() + " does not exist in OpenBSD " + release.version()
                    + " (pfvar.h " + release.pfvarRevision() + ")");
        }
        return r;
    }

    public Map<PfIoctl, Long> requests() {
        return requests;
    }

    /** Which request a number is in this release, if any. */
    public Optional<PfIoctl> ioctl(long request) {
        for (Map.Entry<PfIoctl, Long> e : requests.entrySet()) {
            if (e.getValue() == request) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    public PfStatus status() {
        return status;
    }

    public PfiKif kif() {
        return kif;
    }

    public PfiocRule rule() {
        return rule;
    }

    public PfrTstats tstats() {
        return tstats;
    }

    public QueueCodec queue() {
        return queue;
    }

    public PfSrcNode srcNode() {
        return srcNode;
    }

    /** struct pfsync_state, the element of DIOCGETSTATES' buffer. */
    public PfsyncState pfsyncState() {
        return pfsyncState;
    }

    /** struct pfsyncstats, the answer of {@code sysctl net.inet.pfsync.stats}. */
    public Pfsyncstats pfsync() {
        return pfsync;
    }

    /** struct pfr_astats, the elements of DIOCRGETASTATS. */
    public PfrAstats astats() {
        return astats;
    }
}
