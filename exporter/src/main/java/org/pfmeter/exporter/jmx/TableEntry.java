package org.pfmeter.exporter.jmx;

import java.math.BigInteger;
import javax.management.openmbean.CompositeData;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;

/**
 * One table entry as JMX shows it (an MXBean maps it to CompositeData): the address as pfctl prints
 * it, and its packets and bytes by direction and action as unsigned values.
 */
public final class TableEntry {

    private final String address;
    private final boolean counted;
    private final long cleared;
    private final BigInteger[] packets;
    private final BigInteger[] bytes;

    TableEntry(AddressCounters a) {
        this(a.address().text(), a.counted(), a.cleared(), unsigned(a.packets()), unsigned(a.bytes()));
    }

    private TableEntry(String address, boolean counted, long cleared, BigInteger[] packets, BigInteger[] bytes) {
        this.address = address;
        this.counted = counted;
        this.cleared = cleared;
        this.packets = packets;
        this.bytes = bytes;
    }

    private static BigInteger[] unsigned(long[] v) {
        BigInteger[] b = new BigInteger[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Maps.unsigned(v[i]);
        }
        return b;
    }

    /** Rebuilds one from what a JMX client received (MXBean proxies need this). */
    public static TableEntry from(CompositeData d) {
        String[] dirs = {"In", "Out"};
        String[] ops = {"Block", "Match", "Pass"};
        BigInteger[] p = new BigInteger[6];
        BigInteger[] b = new BigInteger[6];
        for (int i = 0; i < 6; i++) {
            p[i] = (BigInteger) d.get("packets" + dirs[i / 3] + ops[i % 3]);
            b[i] = (BigInteger) d.get("bytes" + dirs[i / 3] + ops[i % 3]);
        }
        return new TableEntry((String) d.get("address"), (Boolean) d.get("counted"), (Long) d.get("cleared"), p, b);
    }

    private static int at(Direction d, TableAction a) {
        return d.ordinal() * AddressCounters.ACTIONS + a.ordinal();
    }

    /** As pfctl prints it: "!" when negated, "/N" unless a host. */
    public String getAddress() {
        return address;
    }

    /** False when pf holds no counters for the entry (PFR_FB_NOCOUNT): they are then zero. */
    public boolean isCounted() {
        return counted;
    }

    /** Unix time the entry was added or its counters cleared. */
    public long getCleared() {
        return cleared;
    }

    public BigInteger getPacketsInBlock() {
        return packets[at(Direction.IN, TableAction.BLOCK)];
    }

    public BigInteger getPacketsInMatch() {
        return packets[at(Direction.IN, TableAction.MATCH)];
    }

    public BigInteger getPacketsInPass() {
        return packets[at(Direction.IN, TableAction.PASS)];
    }

    public BigInteger getPacketsOutBlock() {
        return packets[at(Direction.OUT, TableAction.BLOCK)];
    }

    public BigInteger getPacketsOutMatch() {
        return packets[at(Direction.OUT, TableAction.MATCH)];
    }

    public BigInteger getPacketsOutPass() {
        return packets[at(Direction.OUT, TableAction.PASS)];
    }

    public BigInteger getBytesInBlock() {
        return bytes[at(Direction.IN, TableAction.BLOCK)];
    }

    public BigInteger getBytesInMatch() {
        return bytes[at(Direction.IN, TableAction.MATCH)];
    }

    public BigInteger getBytesInPass() {
        return bytes[at(Direction.IN, TableAction.PASS)];
    }

    public BigInteger getBytesOutBlock() {
        return bytes[at(Direction.OUT, TableAction.BLOCK)];
    }

    public BigInteger getBytesOutMatch() {
        return bytes[at(Direction.OUT, TableAction.MATCH)];
    }

    public BigInteger getBytesOutPass() {
        return bytes[at(Direction.OUT, TableAction.PASS)];
    }
}
