package org.pfmeter.exporter.poll;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * Bytes the JVM has allocated on the calling thread so far, through HotSpot's
 * {@code com.sun.management.ThreadMXBean}. Empty when this JVM cannot tell: the poll's allocation
 * metric is then left out rather than published as a made-up number.
 */
final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean BEAN = supportedBean();

    private ThreadAllocation() {
    }

    private static com.sun.management.ThreadMXBean supportedBean() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean b
                    && b.isThreadAllocatedMemorySupported()) {
                if (!b.isThreadAllocatedMemoryEnabled()) {
                    b.setThreadAllocatedMemoryEnabled(true);
                }
                return b;
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            // not measurable here: the metric is left out
        }
        return null;
    }

    /** Bytes allocated by the current thread since it started, if this JVM measures it. */
    static OptionalLong current() {
        if (BEAN == null) {
            return OptionalLong.empty();
        }
        long bytes = BEAN.getThreadAllocatedBytes(Thread.currentThread().getId());
        return bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes);
    }

    /** Bytes allocated by the current thread since {@code before}, or empty when either is unknown. */
    static OptionalLong since(OptionalLong before) {
        OptionalLong now = current();
        if (before.isEmpty() || now.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, now.getAsLong() - before.getAsLong()));
    }
}
