package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** Raw descriptors through libc, for what Java's file API cannot do: keep a descriptor across a privilege drop. */
public final class FileDescriptors {

    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        NativeLong read(int fd, Memory buf, NativeLong n) throws LastErrorException;

        NativeLong pread(int fd, Memory buf, NativeLong n, long offset) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    private FileDescriptors() {
    }

    /** open(path, O_RDONLY); returns the descriptor or throws with the errno. */
    public static int openReadOnly(String path) throws LastErrorException {
        return LIBC.open(path, 0);
    }

    /** Reads up to {@code max} bytes from offset 0 of a descriptor. */
    public static byte[] readFromStart(int fd, int max) throws LastErrorException {
        Memory m = new Memory(max);
        int n = LIBC.pread(fd, m, new NativeLong(max), 0).intValue();
        return m.getByteArray(0, n);
    }

    public static void close(int fd) throws LastErrorException {
        LIBC.close(fd);
    }
}
