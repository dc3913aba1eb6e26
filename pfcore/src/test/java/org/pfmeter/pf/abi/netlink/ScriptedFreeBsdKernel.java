package org.pfmeter.pf.abi.netlink;

/**
 * A public door to {@link FreeBsdPfReaderTest.Kernel}, the scripted FreeBSD pf whose hand-built frames
 * the reader's tests use (family "pfctl", status, limits, timeouts, rules with two labels and an
 * anchor, two tables, two source nodes): for tests outside this package (trace record/replay, the
 * exporter's FreeBSD path through pfcore's test-jar).
 */
public final class ScriptedFreeBsdKernel {

    private ScriptedFreeBsdKernel() {
    }

    /** A netlink socket answered by a fresh scripted kernel. */
    public static NetlinkSocket socket() {
        return new ScriptedNetlinkSocket(new FreeBsdPfReaderTest.Kernel()::answer);
    }

    /** A socket whose kernel answers GET_STATUS with these {@code since} values, one per poll (the last repeats). */
    public static NetlinkSocket socket(long... sinces) {
        FreeBsdPfReaderTest.Kernel k = new FreeBsdPfReaderTest.Kernel();
        k.sinces = new java.util.ArrayList<>();
        for (long s : sinces) {
            k.sinces.add(s);
        }
        return new ScriptedNetlinkSocket(k::answer);
    }
}
