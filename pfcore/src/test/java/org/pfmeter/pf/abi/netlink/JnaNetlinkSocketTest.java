package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * The JNA socket against a real kernel. On Linux (where the build runs) the generic netlink
 * controller answers as FreeBSD's does for what pfmeter asks of it: the controller family by name
 * with its operations, and ENOENT (Linux negates it) for a family that is not registered, "pfctl".
 */
class JnaNetlinkSocketTest {

    private static JnaNetlinkSocket openOrSkip() {
        assumeTrue(Platform.isLinux() || Platform.isFreeBSD(), "generic netlink exists on Linux and FreeBSD only");
        try {
            return JnaNetlinkSocket.open(Duration.ofSeconds(2));
        } catch (PfDeviceException e) {
            assumeTrue(false, "no netlink socket here: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void resolvesTheControllerFamilyFromARealKernel() throws PfnlException {
        try (JnaNetlinkSocket s = openOrSkip()) {
            PfnlClient c = new PfnlClient(s);
            GenlFamily f = GenlFamily.decode(c.single("CTRL_CMD_GETFAMILY", seq -> GenlFamily.request("nlctrl", seq)));
            assertThat(f.name()).isEqualTo("nlctrl");
            assertThat(f.id()).isEqualTo(GenericNetlink.GENL_ID_CTRL);
            assertThat(f.supports(GenericNetlink.CTRL_CMD_GETFAMILY)).isTrue();
            // the same socket answers a second request: sequence numbers and the ACK were consumed
            GenlFamily again = GenlFamily.decode(c.single("CTRL_CMD_GETFAMILY", seq -> GenlFamily.request("nlctrl", seq)));
            assertThat(again.id()).isEqualTo(f.id());
        }
    }

    @Test
    void aKernelWithoutPfSaysSoThroughTheReader() {
        assumeTrue(Platform.isLinux(), "on FreeBSD the family may well exist");
        try (JnaNetlinkSocket s = openOrSkip()) {
            PfSnapshot snap = new FreeBsdPfReader(s, Clock.systemUTC()).poll();
            PfError e = snap.status().error().orElseThrow();
            assertThat(e.kind()).isEqualTo(PfError.Kind.NO_DEVICE);
            assertThat(e.errnoName()).isEqualTo("ENOENT");
            assertThat(e.message()).contains("\"pfctl\" is not registered");
        }
    }
}
