package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;

/**
 * Gives up root after /dev/pf is open: setgroups, setgid, setuid to an unprivileged user and group,
 * then verifies that every id changed and that root cannot be regained. Fails closed: any step that
 * does not hold throws, and the caller must exit. Descriptors opened before keep working.
 */
public final class PrivilegeDrop {

    /**
     * Offsets in struct passwd and struct group. They are the same on OpenBSD/amd64, FreeBSD/amd64
     * (pwd.h: pw_name, pw_passwd, then uid_t pw_uid, gid_t pw_gid; grp.h: gr_name, gr_passwd, gid_t
     * gr_gid) and Linux/amd64: two char pointers, then the ids.
     */
    static final int PW_UID = 16;
    static final int PW_GID = 20;
    static final int GR_GID = 16;

    private final LibC libc;

    /** @throws NativeLayerException when the native layer cannot load on this host */
    public PrivilegeDrop() {
        this(LibC.instance());
    }

    PrivilegeDrop(LibC libc) {
        this.libc = libc;
    }

    /** Who the process is now. */
    public record Identity(int uid, int euid, int gid, int egid) {
    }

    public Identity current() {
        return new Identity(libc.getuid(), libc.geteuid(), libc.getgid(), libc.getegid());
    }

    /** Looks up a user's uid and primary gid. */
    public int[] user(String name) throws PrivilegeException {
        Pointer pw = libc.getpwnam(name);
        if (pw == null) {
            throw new PrivilegeException("user '" + name + "' does not exist: create it (" + HostPlatform.current().addUserCommand(name)
                    + ") or set privileges.user (--user) to an existing unprivileged user");
        }
        return new int[] {pw.getInt(PW_UID), pw.getInt(PW_GID)};
    }

    public int group(String name) throws PrivilegeException {
        Pointer gr = libc.getgrnam(name);
        if (gr == null) {
            throw new PrivilegeException("group '" + name + "' does not exist: set privileges.group (--group) to an existing group");
        }
        return gr.getInt(GR_GID);
    }

    /**
     * Switches to {@code user} and {@code group} (the user's primary group when null).
     *
     * @throws PrivilegeException when not root, a name does not exist, a call fails, or the result
     *                            does not hold (ids not all changed, root can be regained)
     */
    public Identity dropTo(String user, String group) throws PrivilegeException {
        int[] pw = user(user);
        int uid = pw[0];
        int gid = group == null ? pw[1] : group(group);
        if (uid == 0) {
            throw new PrivilegeException("user '" + user + "' is root: choose an unprivileged user");
        }
        // Read the identity before the drop too: that loads Identity now, as the check after the
        // drop must not need to load a class that only root can read (classes in a root-only dir).
        Identity before = current();
        if (before.euid() != 0) {
            throw new PrivilegeException("cannot switch to user '" + user + "': pfmeter is not running as root (uid "
                    + before.euid() + "); start it as root, or leave privileges.user unset and pass an open /dev/pf with --pf-fd");
        }
        try {
            libc.setgroups(1, new int[] {gid});
            libc.setgid(gid);
            libc.setuid(uid);
        } catch (LastErrorException e) {
            throw new PrivilegeException("dropping privileges to " + user + ":" + gid + " failed (errno " + e.getErrorCode()
                    + "); refusing to go on as root");
        }
        Identity now = current();
        if (now.uid() != uid || now.euid() != uid || now.gid() != gid || now.egid() != gid) {
            throw new PrivilegeException("privileges were not dropped as asked (now " + now + ", wanted uid " + uid
                    + " gid " + gid + "); refusing to go on");
        }
        try {
            libc.setuid(0);
            throw new PrivilegeException("after dropping privileges the process could become root again; refusing to go on");
        } catch (LastErrorException expected) {
            // EPERM: root is gone for good, as intended
        }
        return now;
    }

    /** Dropping privileges failed or is impossible: the daemon must not start. */
    public static final class PrivilegeException extends Exception {
        private static final long serialVersionUID = 1L;

        public PrivilegeException(String message) {
            super(message);
        }
    }
}
