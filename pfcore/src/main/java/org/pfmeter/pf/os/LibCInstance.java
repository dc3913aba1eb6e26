package org.pfmeter.pf.os;

import com.sun.jna.Native;

/**
 * Holds the one {@link LibC}. The class initialises on the first {@link LibC#instance()}, so merely
 * loading pfmeter's classes never touches native code, and its initialiser never throws: a failure
 * is kept and reported to every caller as the same {@link NativeLayerException}, instead of the
 * ExceptionInInitializerError and then NoClassDefFoundError that a throwing initialiser would give.
 */
final class LibCInstance {

    static final LibC INSTANCE;
    private static final LinkageError FAILURE;

    static {
        LibC libc = null;
        LinkageError failure = null;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError: libjnidispatch (or a library it needs, e.g. libffi) cannot load;
            // NoClassDefFoundError: com.sun.jna.Native failed the same way earlier in this JVM.
            failure = e;
        }
        INSTANCE = libc;
        FAILURE = failure;
    }

    private LibCInstance() {
    }

    static LibC get() {
        if (FAILURE != null) {
            throw new NativeLayerException(FAILURE);
        }
        return INSTANCE;
    }
}
