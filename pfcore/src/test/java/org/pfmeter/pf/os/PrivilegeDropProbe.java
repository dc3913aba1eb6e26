package org.pfmeter.pf.os;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM as root by {@link PrivilegeDropTest}: opens a root-only file, drops to the given
 * user, then reports what still works. Dropping privileges cannot be undone, so never in the test JVM.
 */
public final class PrivilegeDropProbe {

    private PrivilegeDropProbe() {
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        String user = args[1];
        String group = args[2];
        int fd = FileDescriptors.openReadOnly(file);
        PrivilegeDrop.Identity now = new PrivilegeDrop().dropTo(user, group);
        System.out.println("identity " + now.uid() + " " + now.euid() + " " + now.gid() + " " + now.egid());
        System.out.println("through-descriptor " + new String(FileDescriptors.readFromStart(fd, 64), StandardCharsets.UTF_8).trim());
        try {
            Files.readAllBytes(Path.of(file));
            System.out.println("reopen allowed");
        } catch (java.nio.file.AccessDeniedException e) {
            System.out.println("reopen denied");
        }
        try {
            FileDescriptors.openReadOnly(file);
            System.out.println("native-reopen allowed");
        } catch (com.sun.jna.LastErrorException e) {
            System.out.println("native-reopen errno " + e.getErrorCode());
        }
    }
}
