package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.pfmeter.pf.abi.netlink.GenlFamily;
import org.pfmeter.pf.abi.netlink.JnaNetlinkSocket;
import org.pfmeter.pf.abi.netlink.PfnlClient;

/**
 * Run as root in a child JVM by {@code OpenBeforeDropTest}: opens a root-only file (standing in for
 * /dev/pf, mode 0600) and a generic netlink socket, gives root up to {@code args[1]}, then uses both
 * and tries to open the file again. Prints one line per fact; exits 0 when it got that far.
 */
public final class OpenThenDropProbe {

    private OpenThenDropProbe() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        String user = args[1];
        int fd = FileDescriptors.openReadOnly(path);
        try (JnaNetlinkSocket socket = JnaNetlinkSocket.open(Duration.ofSeconds(2))) {
            PfnlClient client = new PfnlClient(socket);
            // everything used after the drop runs once before it, so no class loads from a root-only place later
            resolve(client);
            new String(FileDescriptors.readFromStart(fd, 64), StandardCharsets.US_ASCII).trim();
            reopen(path + ".missing");
            PrivilegeDrop.Identity now = new PrivilegeDrop().dropTo(user, null);
            System.out.println("dropped to uid " + now.uid());
            System.out.println("descriptor opened as root reads: "
                    + new String(FileDescriptors.readFromStart(fd, 64), StandardCharsets.US_ASCII).trim());
            System.out.println("socket opened as root resolves: " + resolve(client));
            System.out.println("reopening after the drop: " + reopen(path));
        } finally {
            FileDescriptors.close(fd);
        }
    }

    private static String resolve(PfnlClient client) throws Exception {
        return GenlFamily.decode(client.single("CTRL_CMD_GETFAMILY", seq -> GenlFamily.request("nlctrl", seq))).name();
    }

    private static String reopen(String path) {
        try {
            FileDescriptors.close(FileDescriptors.openReadOnly(path));
            return "opened";
        } catch (LastErrorException e) {
            return "errno " + e.getErrorCode();
        }
    }
}
