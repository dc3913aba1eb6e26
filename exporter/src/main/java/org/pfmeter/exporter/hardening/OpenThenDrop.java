package org.pfmeter.exporter.hardening;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.pfmeter.pf.os.HostPlatform;
import org.pfmeter.pf.os.HostPlatform.Handle;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;

/**
 * The start-up order for a kernel pf: open every handle the host's pf needs while still root, in
 * the host's order ({@link HostPlatform#openedAsRoot()}: /dev/pf on OpenBSD; /dev/pf and the
 * "pfctl" netlink socket on FreeBSD), then give root up ({@link Privileges#afterPfOpened}). Never
 * the other way round: after setuid(2) devfs refuses /dev/pf, and a netlink socket created then
 * carries the user's credentials, so FreeBSD answers every pf command with EPERM. If any open fails
 * nothing is dropped and the handles already open are closed.
 */
public final class OpenThenDrop {

    /** Opens one handle (as root). */
    @FunctionalInterface
    public interface Opener {
        AutoCloseable open() throws Exception;
    }

    /** Gives root up; called once, after every handle is open. */
    @FunctionalInterface
    public interface Drop {
        void drop() throws PrivilegeException;
    }

    /** The handles, open, by kind; closing closes them in reverse order. */
    public static final class Opened implements AutoCloseable {
        private final Map<Handle, AutoCloseable> handles;

        Opened(Map<Handle, AutoCloseable> handles) {
            this.handles = Collections.unmodifiableMap(handles);
        }

        public Map<Handle, AutoCloseable> handles() {
            return handles;
        }

        /** The handle of {@code kind}, as its type. */
        public <T> T get(Handle kind, Class<T> type) {
            return type.cast(Objects.requireNonNull(handles.get(kind), () -> kind + " was not opened"));
        }

        @Override
        public void close() {
            closeAll(new ArrayList<>(handles.values()));
        }
    }

    private OpenThenDrop() {
    }

    /**
     * Opens what {@code platform} needs with {@code openers}, then calls {@code drop}.
     *
     * @throws PrivilegeException when an opener for a needed handle is missing (before anything is
     *                            opened), or when {@code drop} refuses (the handles are closed)
     * @throws Exception          what an opener threw (the handles already open are closed; root is
     *                            not given up, the caller exits)
     */
    public static Opened run(HostPlatform platform, Map<Handle, Opener> openers, Drop drop) throws Exception {
        List<Handle> needed = platform.openedAsRoot();
        List<Handle> missing = needed.stream().filter(h -> !openers.containsKey(h)).toList();
        if (!missing.isEmpty()) {
            throw new PrivilegeException("on " + platform.displayName() + " pfmeter must open "
                    + String.join(" and ", needed.stream().map(Handle::description).toList())
                    + " before giving up root, but nothing opens "
                    + String.join(" and ", missing.stream().map(Handle::description).toList()));
        }
        Map<Handle, AutoCloseable> opened = new EnumMap<>(Handle.class);
        List<AutoCloseable> order = new ArrayList<>();
        try {
            for (Handle h : needed) {
                AutoCloseable c = Objects.requireNonNull(openers.get(h).open(), () -> "opening " + h.description() + " gave nothing");
                opened.put(h, c);
                order.add(c);
            }
            drop.drop();
        } catch (Exception | Error e) {
            closeAll(order);
            throw e;
        }
        return new Opened(orderedCopy(needed, opened));
    }

    private static Map<Handle, AutoCloseable> orderedCopy(List<Handle> needed, Map<Handle, AutoCloseable> opened) {
        Map<Handle, AutoCloseable> m = new java.util.LinkedHashMap<>();
        needed.forEach(h -> m.put(h, opened.get(h)));
        return m;
    }

    private static void closeAll(List<AutoCloseable> handles) {
        for (int i = handles.size() - 1; i >= 0; i--) {
            try {
                handles.get(i).close();
            } catch (Exception e) {
                // closing on the way out: the original failure is what the caller reports
            }
        }
    }
}
