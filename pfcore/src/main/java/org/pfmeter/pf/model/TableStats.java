package org.pfmeter.pf.model;

import java.util.Arrays;

/**
 * One {@code struct pfr_tstats} (DIOCRGETTSTATS). Packets and bytes are indexed
 * [{@link Direction}][{@link TableAction}] as {@code pfrts_packets[PFR_DIR_MAX][PFR_OP_TABLE_MAX]}.
 *
 * @param flags     {@code pfrt_flags} (PFR_TFLAG_*)
 * @param addresses {@code pfrts_cnt}
 * @param cleared   {@code pfrts_tzero}, wall-clock seconds
 */
public record TableStats(
        String anchor,
        String name,
        int flags,
        long addresses,
        long match,
        long nomatch,
        long[] packets,
        long[] bytes,
        long cleared,
        long refRules,
        long refAnchors) {

    public static final int PFR_TFLAG_PERSIST = 0x01;
    public static final int PFR_TFLAG_CONST = 0x02;
    public static final int PFR_TFLAG_ACTIVE = 0x04;
    public static final int PFR_TFLAG_INACTIVE = 0x08;
    public static final int PFR_TFLAG_REFERENCED = 0x10;
    public static final int PFR_TFLAG_REFDANCHOR = 0x20;
    public static final int PFR_TFLAG_COUNTERS = 0x40;

    public TableStats {
        if (packets.length != 8 || bytes.length != 8) {
            throw new IllegalArgumentException("need 2x4 packet and byte counters");
        }
        packets = packets.clone();
        bytes = bytes.clone();
    }

    public long packets(Direction dir, TableAction op) {
        return packets[dir.ordinal() * 4 + op.ordinal()];
    }

    public long bytes(Direction dir, TableAction op) {
        return bytes[dir.ordinal() * 4 + op.ordinal()];
    }

    @Override
    public long[] packets() {
        return packets.clone();
    }

    @Override
    public long[] bytes() {
        return bytes.clone();
    }

    public boolean active() {
        return (flags & PFR_TFLAG_ACTIVE) != 0;
    }

    /** pfctl's flag letters: c p a i r h C. */
    public String flagLetters() {
        return "" + ((flags & PFR_TFLAG_CONST) != 0 ? 'c' : '-')
                + ((flags & PFR_TFLAG_PERSIST) != 0 ? 'p' : '-')
                + ((flags & PFR_TFLAG_ACTIVE) != 0 ? 'a' : '-')
                + ((flags & PFR_TFLAG_INACTIVE) != 0 ? 'i' : '-')
                + ((flags & PFR_TFLAG_REFERENCED) != 0 ? 'r' : '-')
                + ((flags & PFR_TFLAG_REFDANCHOR) != 0 ? 'h' : '-')
                + ((flags & PFR_TFLAG_COUNTERS) != 0 ? 'C' : '-');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableStats t && anchor.equals(t.anchor) && name.equals(t.name) && flags == t.flags
                && addresses == t.addresses && match == t.match && nomatch == t.nomatch
                && Arrays.equals(packets, t.packets) && Arrays.equals(bytes, t.bytes)
                && cleared == t.cleared && refRules == t.refRules && refAnchors == t.refAnchors;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(anchor, name, addresses, match, Arrays.hashCode(packets));
    }

    @Override
    public String toString() {
        return "TableStats{" + anchor + ":" + name + ", addresses=" + addresses + ", flags=" + flagLetters() + "}";
    }
}
