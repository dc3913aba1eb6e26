package org.pfmeter.exporter.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.hardening.OpenThenDrop.Opener;
import org.pfmeter.pf.os.HostPlatform;
import org.pfmeter.pf.os.HostPlatform.Handle;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;

/** The order of start-up on a kernel pf, with handles and a drop that record what happens to them. */
class OpenThenDropTest {

    private final List<String> events = new ArrayList<>();

    private Opener opener(String name) {
        return () -> {
            events.add("open " + name);
            return () -> events.add("close " + name);
        };
    }

    private Map<Handle, Opener> both() {
        Map<Handle, Opener> m = new LinkedHashMap<>();
        // offered in the "wrong" order: the platform's order is what counts
        m.put(Handle.PF_NETLINK, opener("netlink"));
        m.put(Handle.DEV_PF, opener("/dev/pf"));
        return m;
    }

    @Test
    void onFreeBsdBothAreOpenedBeforeRootIsGivenUp() throws Exception {
        try (OpenThenDrop.Opened opened = OpenThenDrop.run(HostPlatform.FREEBSD, both(), () -> events.add("drop"))) {
            assertThat(events).containsExactly("open /dev/pf", "open netlink", "drop");
            assertThat(opened.handles()).containsOnlyKeys(Handle.DEV_PF, Handle.PF_NETLINK);
            assertThat(opened.get(Handle.PF_NETLINK, AutoCloseable.class)).isNotNull();
        }
        assertThat(events).endsWith("close netlink", "close /dev/pf");
    }

    @Test
    void onOpenBsdOnlyDevPfIsOpened() throws Exception {
        try (OpenThenDrop.Opened opened = OpenThenDrop.run(HostPlatform.OPENBSD, both(), () -> events.add("drop"))) {
            assertThat(events).containsExactly("open /dev/pf", "drop");
            assertThat(opened.handles()).containsOnlyKeys(Handle.DEV_PF);
        }
    }

    @Test
    void elsewhereNothingIsOpenedAsRoot() throws Exception {
        try (OpenThenDrop.Opened opened = OpenThenDrop.run(HostPlatform.OTHER, Map.of(), () -> events.add("drop"))) {
            assertThat(events).containsExactly("drop");
            assertThat(opened.handles()).isEmpty();
        }
    }

    /** Dropping with the netlink socket still to open would leave pfmeter with EPERM on every pf command. */
    @Test
    void freeBsdWithoutANetlinkOpenerRefusesBeforeOpeningOrDropping() {
        Map<Handle, Opener> devPfOnly = Map.of(Handle.DEV_PF, opener("/dev/pf"));
        assertThatThrownBy(() -> OpenThenDrop.run(HostPlatform.FREEBSD, devPfOnly, () -> events.add("drop")))
                .isInstanceOf(PrivilegeException.class)
                .hasMessage("on FreeBSD pfmeter must open /dev/pf and the generic netlink socket for family \"pfctl\" "
                        + "before giving up root, but nothing opens the generic netlink socket for family \"pfctl\"");
        assertThat(events).isEmpty();
    }

    @Test
    void aFailedOpenClosesWhatWasOpenAndNeverDrops() {
        Map<Handle, Opener> m = new LinkedHashMap<>();
        m.put(Handle.DEV_PF, opener("/dev/pf"));
        m.put(Handle.PF_NETLINK, () -> {
            throw new IOException("socket(AF_NETLINK): EPROTONOSUPPORT");
        });
        assertThatThrownBy(() -> OpenThenDrop.run(HostPlatform.FREEBSD, m, () -> events.add("drop")))
                .isInstanceOf(IOException.class).hasMessageContaining("EPROTONOSUPPORT");
        assertThat(events).containsExactly("open /dev/pf", "close /dev/pf");
    }

    @Test
    void aRefusedDropClosesTheHandles() {
        assertThatThrownBy(() -> OpenThenDrop.run(HostPlatform.FREEBSD, both(), () -> {
            events.add("drop");
            throw new PrivilegeException("user '_pfmeter' does not exist");
        })).isInstanceOf(PrivilegeException.class);
        assertThat(events).containsExactly("open /dev/pf", "open netlink", "drop", "close netlink", "close /dev/pf");
    }
}
