package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian (amd64) reads and writes of C scalars and strings at absolute offsets. */
public final class NativeBytes {

    private NativeBytes() {
    }

    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long u64(ByteBuffer b, int off) {
        return b.getLong(off);
    }

    public static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    public static int s32(ByteBuffer b, int off) {
        return b.getInt(off);
    }

    public static int u16(ByteBuffer b, int off) {
        return Short.toUnsignedInt(b.getShort(off));
    }

    public static int u8(ByteBuffer b, int off) {
        return Byte.toUnsignedInt(b.get(off));
    }

    public static void putU64(ByteBuffer b, int off, long v) {
        b.putLong(off, v);
    }

    public static void putU32(ByteBuffer b, int off, long v) {
        b.putInt(off, (int) v);
    }

    public static void putU8(ByteBuffer b, int off, int v) {
        b.put(off, (byte) v);
    }

    /**
     * A NUL-terminated C string within {@code char[capacity]}. The kernel always terminates the
     * names it copies out; one that fills its array without a NUL is a malformed answer. Bytes become
     * text by {@link KernelStrings}' rule (invalid UTF-8 as {@code \xNN}, backslash as {@code \\}).
     */
    public static String cString(ByteBuffer b, int off, int capacity) {
        for (int i = 0; i < capacity; i++) {
            if (b.get(off + i) == 0) {
                byte[] bytes = new byte[i];
                b.get(off, bytes);
                return KernelStrings.decode(bytes, 0, i);
            }
        }
        throw new MalformedAnswerException("string at offset " + off + " has no NUL within its " + capacity + " bytes");
    }

    /**
     * Writes {@code s} as the kernel bytes it stands for ({@link KernelStrings#encode}), NUL-terminated;
     * it must leave room for the NUL. Rest of the array is zeroed.
     */
    public static void putCString(ByteBuffer b, int off, int capacity, String s) {
        byte[] bytes = KernelStrings.encode(s);
        if (bytes.length >= capacity) {
            throw new IllegalArgumentException("\"" + s + "\" does not fit in char[" + capacity + "]");
        }
        b.put(off, bytes);
        for (int i = bytes.length; i < capacity; i++) {
            b.put(off + i, (byte) 0);
        }
    }

    public static String hex(ByteBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit((b.get(off + i) >> 4) & 0xf, 16)).append(Character.forDigit(b.get(off + i) & 0xf, 16));
        }
        return sb.toString();
    }

    public static void putHex(ByteBuffer b, int off, int len, String hex) {
        if (hex.length() != len * 2) {
            throw new IllegalArgumentException("need " + len * 2 + " hex digits: " + hex);
        }
        for (int i = 0; i < len; i++) {
            b.put(off + i, (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16));
        }
    }
}
