package org.pfmeter.pf.abi;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.NativeLongByReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.pfmeter.pf.os.LibC;
import org.pfmeter.pf.os.NativeLayerException;

/**
 * /dev/pf through libc's ioctl(2), the only class that calls ioctl. Each call copies the argument and
 * its pointees into native memory, patches the pointer fields, calls, and copies back.
 */
final class JnaPfDevice implements PfDevice {

    /** sys/sysctl.h: CTL_KERN, KERN_BOOTTIME; the answer is a struct timeval {time_t; suseconds_t} of 16 bytes. */
    static final int CTL_KERN = 1;
    static final int KERN_BOOTTIME = 21;
    static final int SIZEOF_TIMEVAL = 16;

    private final LibC libc;
    private final int fd;
    private final boolean owned;
    private final String description;
    private volatile boolean closed;

    private JnaPfDevice(LibC libc, int fd, boolean owned, String description) {
        this.libc = libc;
        this.fd = fd;
        this.owned = owned;
        this.description = description;
    }

    /**
     * Opens {@code path} read-only; every read ioctl works on a read-only descriptor.
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    static JnaPfDevice open(String path) throws LastErrorException {
        LibC libc = LibC.instance();
        int fd = libc.open(path, LibC.O_RDONLY);
        return new JnaPfDevice(libc, fd, true, path);
    }

    /**
     * Uses a descriptor opened by someone else (an rc.d script as root), which stays theirs.
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    static JnaPfDevice fromDescriptor(int fd) {
        return new JnaPfDevice(LibC.instance(), fd, false, "/dev/pf (fd " + fd + ")");
    }

    @Override
    public synchronized int ioctl(IoctlCall call) {
        if (closed) {
            return Errno.EBADF;
        }
        ByteBuffer arg = call.argument();
        Memory argMem = new Memory(Math.max(1, arg.capacity()));
        argMem.clear();
        argMem.write(0, arg.array(), 0, arg.capacity());
        List<Memory> pointeeMem = new ArrayList<>();
        for (IoctlCall.Pointee p : call.pointees()) {
            if (p.buffer().isDirect()) {
                // native already (DIOCGETSTATES' buffer, hundreds of MB at a million states): the
                // kernel writes into it directly, nothing is copied through the heap
                argMem.setPointer(p.offset(), com.sun.jna.Native.getDirectBufferPointer(p.buffer()));
                pointeeMem.add(null);
                continue;
            }
            Memory m = new Memory(Math.max(1, p.buffer().capacity()));
            m.write(0, p.buffer().array(), 0, p.buffer().capacity());
            argMem.setPointer(p.offset(), m);
            pointeeMem.add(m);
        }
        int errno = 0;
        try {
            // the argument goes through ioctl's "..." (JNA passes it as C passes a variadic one)
            libc.ioctl(fd, new NativeLong(call.request()), argMem);
        } catch (LastErrorException e) {
            errno = e.getErrorCode();
        }
        byte[] out = argMem.getByteArray(0, arg.capacity());
        // Keep the caller's view of pointer fields as it was: addresses mean nothing outside this call.
        for (IoctlCall.Pointee p : call.pointees()) {
            for (int i = 0; i < 8; i++) {
                out[p.offset() + i] = arg.get(p.offset() + i);
            }
        }
        arg.put(0, out);
        for (int i = 0; i < pointeeMem.size(); i++) {
            if (pointeeMem.get(i) == null) {
                continue;
            }
            ByteBuffer b = call.pointees().get(i).buffer();
            b.put(0, pointeeMem.get(i).getByteArray(0, b.capacity()));
        }
        return errno;
    }

    /** sysctl(2) read-only: the answer lands in native memory and is copied back into the caller's buffer. */
    @Override
    public synchronized int sysctl(SysctlCall call) {
        if (closed) {
            return Errno.EBADF;
        }
        ByteBuffer old = call.old();
        Memory mem = new Memory(Math.max(1, old.capacity()));
        mem.clear();
        NativeLongByReference len = new NativeLongByReference(new NativeLong(old.capacity()));
        int[] mib = call.mib();
        try {
            libc.sysctl(mib, mib.length, mem, len, null, new NativeLong(0));
        } catch (LastErrorException e) {
            return e.getErrorCode();
        } catch (UnsatisfiedLinkError e) {
            return Errno.ENOPROTOOPT;        // a libc without sysctl(2) (glibc since 2.32): not OpenBSD, no pfsync
        }
        long n = len.getValue().longValue();
        call.oldLength(n);
        old.put(0, mem.getByteArray(0, (int) Math.min(n, old.capacity())));
        return 0;
    }

    /** sysctl kern.boottime. */
    @Override
    public java.util.Optional<java.time.Instant> bootTime() {
        try {
            Memory tv = new Memory(SIZEOF_TIMEVAL);
            NativeLongByReference len = new NativeLongByReference(new NativeLong(SIZEOF_TIMEVAL));
            libc.sysctl(new int[] {CTL_KERN, KERN_BOOTTIME}, 2, tv, len, null, new NativeLong(0));
            if (len.getValue().longValue() != SIZEOF_TIMEVAL) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(java.time.Instant.ofEpochSecond(tv.getLong(0), tv.getLong(8) * 1000));
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String kernelRelease() {
        return System.getProperty("os.version", "");
    }

    /** The host's operating system, as the JVM names it ("OpenBSD", "Linux"): only OpenBSD has this pf. */
    String hostOs() {
        return System.getProperty("os.name", "");
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (owned) {
                try {
                    libc.close(fd);
                } catch (LastErrorException ignored) {
                    // nothing left to release
                }
            }
        }
    }
}
