package org.pfmeter.accounting.store;

import java.time.Duration;

/**
 * What one run of {@link AccountingStore#compact(Duration)} did to the embedded H2 file.
 *
 * @param bytesBefore the file's size before
 * @param bytesAfter  the file's size after
 * @param fillRate    how much of the file is live data afterwards, in percent (H2's own estimate)
 * @param steps       steps of rewriting and moving chunks
 * @param took        how long it took
 */
public record Compaction(long bytesBefore, long bytesAfter, int fillRate, int steps, Duration took) {
}
