package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A buffer outside the Java heap for answers whose size grows with the kernel's tables (the state
 * table: 264 bytes a state, twice the table when pfctl's growth rule sizes it). It comes from
 * malloc() through JNA when the native layer loads, so it counts against neither the heap nor
 * {@code -XX:MaxDirectMemorySize}; otherwise (a JVM where JNA cannot load) from
 * {@link ByteBuffer#allocateDirect}. No JNA type leaves this class.
 */
public final class NativeBuffer {

    private final Object owner;          // keeps the malloc()ed memory alive as long as the view
    private final ByteBuffer bytes;

    private NativeBuffer(Object owner, ByteBuffer bytes) {
        this.owner = owner;
        this.bytes = bytes.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A zero-filled buffer of {@code size} bytes. */
    public static NativeBuffer allocate(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("native buffer of " + size + " bytes");
        }
        try {
            com.sun.jna.Memory m = new com.sun.jna.Memory(size);
            m.clear();
            return new NativeBuffer(m, m.getByteBuffer(0, size));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            return new NativeBuffer(null, ByteBuffer.allocateDirect(size));
        }
    }

    public int capacity() {
        return bytes.capacity();
    }

    /** The whole buffer, little-endian. */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** The first {@code length} bytes as a buffer of that capacity (what an ioctl's pointee is given). */
    public ByteBuffer first(int length) {
        return bytes.slice(0, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether the memory came from malloc() (JNA) rather than the JVM's direct memory. */
    public boolean malloced() {
        return owner != null;
    }
}
