package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One read-only {@code sysctl(2)} as it crosses the device boundary: the MIB, the caller's buffer
 * ({@code oldp}; its capacity is {@code *oldlenp} on the way in) and the length the kernel reports
 * on the way out. Nothing is ever written ({@code newp} is NULL).
 *
 * @see PfDevice#sysctl(SysctlCall)
 */
public final class SysctlCall {

    private final String name;
    private final int[] mib;
    private final ByteBuffer old;
    private long oldLength;

    /**
     * @param name the MIB's name as sysctl(8) prints it, e.g. "net.inet.pfsync.stats" (for errors, logs, traces)
     * @param old  the caller's buffer, little-endian; {@code *oldlenp} starts as its capacity
     */
    public SysctlCall(String name, int[] mib, ByteBuffer old) {
        this.name = name;
        this.mib = mib.clone();
        this.old = old;
        this.oldLength = old.capacity();
    }

    public String name() {
        return name;
    }

    public int[] mib() {
        return mib.clone();
    }

    /** The caller's buffer, updated in place with what the kernel copied out. */
    public ByteBuffer old() {
        return old;
    }

    /** {@code *oldlenp}: the buffer's capacity before the call, the length the kernel reported after it. */
    public long oldLength() {
        return oldLength;
    }

    /** Set by the device to the length the kernel wrote back into {@code *oldlenp}. */
    public void oldLength(long length) {
        this.oldLength = length;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(mib);
    }
}
