package org.pfmeter.pf.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.os.HostPlatform.Handle;

class HostPlatformTest {

    @Test
    void theSystemFromTheJvmsOsName() {
        assertThat(HostPlatform.fromOsName("OpenBSD")).isEqualTo(HostPlatform.OPENBSD);
        assertThat(HostPlatform.fromOsName("FreeBSD")).isEqualTo(HostPlatform.FREEBSD);
        assertThat(HostPlatform.fromOsName(" freebsd ")).isEqualTo(HostPlatform.FREEBSD);
        for (String other : List.of("Linux", "Mac OS X", "NetBSD", "DragonFlyBSD", "", "Windows 11")) {
            assertThat(HostPlatform.fromOsName(other)).as(other).isEqualTo(HostPlatform.OTHER);
        }
        assertThat(HostPlatform.fromOsName(null)).isEqualTo(HostPlatform.OTHER);
        // the build machine
        assertThat(HostPlatform.current()).isEqualTo(HostPlatform.fromOsName(System.getProperty("os.name")));
    }

    /**
     * FreeBSD checks PRIV_NETINET_PF against the netlink socket's creator and /dev/pf's mode at open:
     * both must be open before the drop; OpenBSD needs /dev/pf only; elsewhere there is no kernel pf.
     */
    @Test
    void whatIsOpenedAsRootPerSystem() {
        assertThat(HostPlatform.FREEBSD.openedAsRoot()).containsExactly(Handle.DEV_PF, Handle.PF_NETLINK);
        assertThat(HostPlatform.OPENBSD.openedAsRoot()).containsExactly(Handle.DEV_PF);
        assertThat(HostPlatform.OTHER.openedAsRoot()).isEmpty();
        assertThat(Handle.PF_NETLINK.description()).contains("netlink").contains("pfctl");
    }

    @Test
    void unveilOnlyOnOpenBsdAndNoCapabilityModeOnFreeBsd() {
        assertThat(HostPlatform.OPENBSD.hasUnveil()).isTrue();
        assertThat(HostPlatform.FREEBSD.hasUnveil()).isFalse();
        assertThat(HostPlatform.OTHER.hasUnveil()).isFalse();
        assertThat(HostPlatform.FREEBSD.confinement()).contains("no pledge(2) or unveil(2) on FreeBSD")
                .contains("Capsicum").contains("/dev/pf and the pf netlink socket are open");
        assertThat(HostPlatform.OPENBSD.confinement()).contains("unveil(2)");
    }

    @Test
    void theUserCreationHintIsTheSystemsOwn() {
        assertThat(HostPlatform.OPENBSD.addUserCommand("_pfmeter")).isEqualTo("useradd -s /sbin/nologin -d /var/empty _pfmeter");
        assertThat(HostPlatform.FREEBSD.addUserCommand("_pfmeter"))
                .isEqualTo("pw useradd _pfmeter -c pfmeter -d /nonexistent -s /usr/sbin/nologin");
        assertThat(HostPlatform.OTHER.addUserCommand("pfm")).startsWith("useradd ").endsWith(" pfm");
    }
}
