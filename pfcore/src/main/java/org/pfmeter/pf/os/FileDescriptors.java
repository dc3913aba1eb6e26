package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

/** Raw descriptors through libc, for what Java's file API cannot do: keep a descriptor across a privilege drop. */
public final class FileDescriptors {

    private FileDescriptors() {
    }

    /**
     * open(path, O_RDONLY); returns the descriptor or throws with the errno.
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    public static int openReadOnly(String path) throws LastErrorException {
        return LibC.instance().open(path, LibC.O_RDONLY);
    }

    /** Reads up to {@code max} bytes from offset 0 of a descriptor. */
    public static byte[] readFromStart(int fd, int max) throws LastErrorException {
        LibC libc = LibC.instance();
        Memory m = new Memory(max);
        int n = libc.pread(fd, m, new NativeLong(max), 0).intValue();
        return m.getByteArray(0, n);
    }

    public static void close(int fd) throws LastErrorException {
        LibC.instance().close(fd);
    }

    /**
     * isatty(3): whether descriptor {@code fd} is a terminal. Java 17 can only tell whether stdin and
     * stdout both are ({@code System.console()}); this asks about one descriptor, e.g. stderr alone.
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    public static boolean isTerminal(int fd) {
        return LibC.instance().isatty(fd) == 1;
    }
}
