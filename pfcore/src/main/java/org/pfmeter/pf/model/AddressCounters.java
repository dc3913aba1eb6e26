package org.pfmeter.pf.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One {@code struct pfr_astats} (DIOCRGETASTATS): a table entry and what pf counted on it since
 * {@code cleared}. Packets and bytes are indexed [{@link Direction}][{@link TableAction}] as
 * {@code pfras_packets[PFR_DIR_MAX][PFR_OP_ADDR_MAX]}: block, match and pass only (pf never counts
 * {@code xpass} on an address: that is a packet whose address was not in the table).
 *
 * <p>{@code counted} is false when the kernel holds no counters for the entry
 * ({@code pfra_fback == PFR_FB_NOCOUNT}): in a table without the {@code counters} flag always; in a
 * table with it until the entry's first packet, and again after its counters were cleared. The
 * counters are then zero.
 *
 * <p>Counters restart when pf resets them: {@code pfctl -T zero}, a table flushed and filled again,
 * an entry deleted and added again, pf restarted. Each of these sets a new {@code cleared}, so a
 * reader tells a reset from a counter going backwards by {@code cleared} moving.
 *
 * @param cleared {@code pfras_tzero}: Unix time the entry was added or its counters last cleared
 */
public record AddressCounters(TableAddress address, boolean counted, long[] packets, long[] bytes, long cleared) {

    /** PFR_OP_ADDR_MAX: the actions an address counts. */
    public static final int ACTIONS = 3;

    public AddressCounters {
        Objects.requireNonNull(address, "address");
        if (packets.length != 2 * ACTIONS || bytes.length != 2 * ACTIONS) {
            throw new IllegalArgumentException("need 2x3 packet and byte counters");
        }
        packets = packets.clone();
        bytes = bytes.clone();
    }

    public long packets(Direction dir, TableAction op) {
        return packets[index(dir, op)];
    }

    public long bytes(Direction dir, TableAction op) {
        return bytes[index(dir, op)];
    }

    /** Packets in one direction over block, match and pass. */
    public long packets(Direction dir) {
        long sum = 0;
        for (int op = 0; op < ACTIONS; op++) {
            sum += packets[dir.ordinal() * ACTIONS + op];
        }
        return sum;
    }

    /** Bytes in one direction over block, match and pass. */
    public long bytes(Direction dir) {
        long sum = 0;
        for (int op = 0; op < ACTIONS; op++) {
            sum += bytes[dir.ordinal() * ACTIONS + op];
        }
        return sum;
    }

    private static int index(Direction dir, TableAction op) {
        if (op == TableAction.XPASS) {
            throw new IllegalArgumentException("an address has no xpass counters (PFR_OP_ADDR_MAX = 3)");
        }
        return dir.ordinal() * ACTIONS + op.ordinal();
    }

    @Override
    public long[] packets() {
        return packets.clone();
    }

    @Override
    public long[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressCounters a && address.equals(a.address) && counted == a.counted && cleared == a.cleared
                && Arrays.equals(packets, a.packets) && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, counted, cleared, Arrays.hashCode(packets), Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "AddressCounters{" + address + (counted ? "" : ", not counted") + ", packets=" + Arrays.toString(packets)
                + ", bytes=" + Arrays.toString(bytes) + ", cleared=" + cleared + "}";
    }
}
