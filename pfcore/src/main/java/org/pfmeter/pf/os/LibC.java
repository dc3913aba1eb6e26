package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The C library, bound once for all of pfcore: each function as OpenBSD's header declares it
 * (fcntl.h, unistd.h, sys/ioctl.h, sys/sysctl.h, pwd.h, grp.h). {@code long} and {@code size_t} are
 * {@link NativeLong} (the same width on every Unix JNA runs on), {@code off_t} is 64-bit, uid_t and
 * gid_t are 32-bit. Functions that report failure through errno throw {@link LastErrorException}.
 *
 * <p>Get it with {@link #instance()}, never with {@code Native.load}: it loads JNA's native library
 * on first use, once, and a host where that cannot load gets a {@link NativeLayerException} that
 * names the cause and the fixes. The task wrappers beside it ({@link FileDescriptors},
 * {@link PrivilegeDrop}, {@link Unveil}, and the pf device in {@code org.pfmeter.pf.abi}) are what the
 * rest of pfmeter uses; only {@code org.pfmeter.pf.abi} calls {@link #ioctl} (a test checks).
 */
public interface LibC extends Library {

    /** fcntl.h: the access mode of {@link #open}. */
    int O_RDONLY = 0;

    /**
     * The binding, loaded on first use and shared.
     *
     * @throws NativeLayerException when JNA's native library cannot load on this host
     */
    static LibC instance() {
        return LibCInstance.get();
    }

    /** {@code int open(const char *path, int flags, ...);} the variadic mode only matters with O_CREAT. */
    int open(String path, int flags, Object... mode) throws LastErrorException;

    /** {@code int close(int fd);} */
    int close(int fd) throws LastErrorException;

    /** {@code int socket(int domain, int type, int protocol);} (the FreeBSD reader's netlink socket) */
    int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code ssize_t send(int s, const void *msg, size_t len, int flags);} */
    NativeLong send(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    /** {@code ssize_t recv(int s, void *buf, size_t len, int flags);} */
    NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

    /** {@code int setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen);} */
    int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    /** {@code int isatty(int fd);} 1 when {@code fd} refers to a terminal, 0 otherwise. */
    int isatty(int fd);

    /** {@code ssize_t pread(int fd, void *buf, size_t nbytes, off_t offset);} */
    NativeLong pread(int fd, Pointer buf, NativeLong nbytes, long offset) throws LastErrorException;

    /**
     * {@code int ioctl(int fd, unsigned long request, ...);} variadic, so JNA passes the argument as C
     * passes a variadic one (on amd64 it lands where a fixed one would; on other ABIs it does not).
     */
    int ioctl(int fd, NativeLong request, Object... arg) throws LastErrorException;

    /**
     * {@code int sysctl(const int *name, u_int namelen, void *oldp, size_t *oldlenp, void *newp,
     * size_t newlen);}
     */
    int sysctl(int[] name, int namelen, Pointer oldp, NativeLongByReference oldlenp, Pointer newp, NativeLong newlen)
            throws LastErrorException;

    /** {@code uid_t getuid(void);} never fails. */
    int getuid();

    /** {@code uid_t geteuid(void);} */
    int geteuid();

    /** {@code gid_t getgid(void);} */
    int getgid();

    /** {@code gid_t getegid(void);} */
    int getegid();

    /** {@code int setuid(uid_t uid);} */
    int setuid(int uid) throws LastErrorException;

    /** {@code int setgid(gid_t gid);} */
    int setgid(int gid) throws LastErrorException;

    /** {@code int setgroups(int ngroups, const gid_t *gidset);} */
    int setgroups(int ngroups, int[] gidset) throws LastErrorException;

    /** {@code struct passwd *getpwnam(const char *login);} null when there is no such user. */
    Pointer getpwnam(String login);

    /** {@code struct group *getgrnam(const char *name);} null when there is no such group. */
    Pointer getgrnam(String name);

    /** {@code int unveil(const char *path, const char *permissions);} OpenBSD only. */
    int unveil(String path, String permissions) throws LastErrorException;
}
