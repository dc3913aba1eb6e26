package org.pfmeter.pf.states;

/**
 * The first N slots of an address table in an order, kept by insertion while the table is read end
 * to end: what the top lists of {@link Ipv4Table}, {@link KeyTable} and {@link SortedIpv4Counts} are
 * built with (each with its own order, ties included).
 */
final class TopSlots {

    /** Whether slot {@code i} comes before slot {@code j}. */
    @FunctionalInterface
    interface Order {
        boolean before(int i, int j);
    }

    private TopSlots() {
    }

    /** Puts slot {@code i} into {@code best}, whose first {@code filled} entries are in order, if it belongs there. */
    static void insert(int[] best, int filled, int i, Order order) {
        if (filled == best.length && (best.length == 0 || !order.before(i, best[filled - 1]))) {
            return;
        }
        int at = filled;
        while (at > 0 && order.before(i, best[at - 1])) {
            at--;
        }
        int end = Math.min(filled, best.length - 1);
        System.arraycopy(best, at, best, at + 1, end - at);
        best[at] = i;
    }
}
