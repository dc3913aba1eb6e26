package org.pfmeter.pf.model;

import java.util.Arrays;

/**
 * Packets and bytes by address family × direction × action, as {@code pfik_packets[2][2][2]} and
 * {@code pfik_bytes[2][2][2]} keep them (also the loginterface's {@code pcounters}/{@code bcounters}).
 * Immutable; values are unsigned 64-bit.
 */
public final class TrafficCounters {

    public static final TrafficCounters ZERO = new TrafficCounters(new long[8], new long[8]);

    private final long[] packets;
    private final long[] bytes;

    private TrafficCounters(long[] packets, long[] bytes) {
        this.packets = packets;
        this.bytes = bytes;
    }

    /** Both arrays flattened in kernel order [af][dir][action], 8 entries each; copied. */
    public static TrafficCounters of(long[] packets, long[] bytes) {
        if (packets.length != 8 || bytes.length != 8) {
            throw new IllegalArgumentException("need 8 packet and 8 byte counters");
        }
        return new TrafficCounters(packets.clone(), bytes.clone());
    }

    public static int index(AddressFamily af, Direction dir, Action action) {
        return af.ordinal() * 4 + dir.ordinal() * 2 + action.ordinal();
    }

    public long packets(AddressFamily af, Direction dir, Action action) {
        return packets[index(af, dir, action)];
    }

    public long bytes(AddressFamily af, Direction dir, Action action) {
        return bytes[index(af, dir, action)];
    }

    /** Sum of two matrices, wrapping as the kernel's unsigned counters do. */
    public TrafficCounters plus(TrafficCounters other) {
        long[] p = new long[8];
        long[] b = new long[8];
        for (int i = 0; i < 8; i++) {
            p[i] = packets[i] + other.packets[i];
            b[i] = bytes[i] + other.bytes[i];
        }
        return new TrafficCounters(p, b);
    }

    /** Flattened copies in kernel order. */
    public long[] packetsArray() {
        return packets.clone();
    }

    public long[] bytesArray() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficCounters t && Arrays.equals(t.packets, packets) && Arrays.equals(t.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(packets) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TrafficCounters{packets=" + unsigned(packets) + ", bytes=" + unsigned(bytes) + "}";
    }

    private static String unsigned(long[] v) {
        return Arrays.stream(v).mapToObj(Long::toUnsignedString).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
