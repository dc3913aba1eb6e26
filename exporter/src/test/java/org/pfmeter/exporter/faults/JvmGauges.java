package org.pfmeter.exporter.faults;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Heap after a full collection and the live threads, for leak checks. */
final class JvmGauges {

    private JvmGauges() {
    }

    /** Used heap in bytes after System.gc() has had a few chances to settle (G1 full GC). */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Names of the live threads that {@code mine} accepts (sorted, duplicates kept apart by id). */
    static Set<String> threads(Predicate<String> mine) {
        Set<String> out = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && mine.test(t.getName())) {
                out.add(t.getName() + "#" + t.getId());
            }
        }
        return out;
    }

    /** A worker of the daemon's Jetty pool ("http-18#18"), started and retired on demand. */
    static final Predicate<String> JETTY_WORKER = n -> n.matches("http-\\d+#\\d+");

    /** Threads of the test's own HTTP clients and the JVM's helpers, which are not the daemon's. */
    static final Predicate<String> NOT_TEST_HELPERS = n -> !n.startsWith("HttpClient-") && !n.startsWith("scraper-")
            && !List.of("Common-Cleaner", "Attach Listener", "process reaper").contains(n)
            // JNA's own cleaner thread ends when idle and a new one (next number) starts with the next Memory
            && !n.startsWith("JNA Cleaner")
            && !n.startsWith("ForkJoinPool") && !n.startsWith("surefire") && !n.startsWith("Keep-Alive");
}
