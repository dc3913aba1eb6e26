package org.pfmeter.exporter.jmx;

/**
 * The state table's fill level with hysteresis: a level is entered at its threshold and left only
 * when usage falls {@code hysteresis} percentage points below it, so usage hovering around a
 * threshold does not send a notification every poll.
 */
public enum StateTableLevel {
    NORMAL,
    WARNING,
    CRITICAL;

    /** The level after observing {@code percent}, coming from {@code this}. */
    public StateTableLevel next(double percent, double warning, double critical, double hysteresis) {
        if (percent >= critical || (this == CRITICAL && percent >= critical - hysteresis)) {
            return CRITICAL;
        }
        if (percent >= warning || (this != NORMAL && percent >= warning - hysteresis)) {
            return WARNING;
        }
        return NORMAL;
    }
}
