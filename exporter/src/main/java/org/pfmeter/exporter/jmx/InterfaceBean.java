package org.pfmeter.exporter.jmx;

import java.util.List;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;

final class InterfaceBean implements InterfaceMXBean {

    private volatile InterfaceCounters v;

    InterfaceBean(InterfaceCounters v) {
        this.v = v;
    }

    void update(InterfaceCounters c) {
        v = c;
    }

    private long packets(Direction d, Action a) {
        InterfaceCounters c = v;
        return c.counters().packets(AddressFamily.INET, d, a) + c.counters().packets(AddressFamily.INET6, d, a);
    }

    private long bytes(Direction d, Action a) {
        InterfaceCounters c = v;
        return c.counters().bytes(AddressFamily.INET, d, a) + c.counters().bytes(AddressFamily.INET6, d, a);
    }

    @Override
    public String getName() {
        return v.name();
    }

    @Override
    public boolean isGroup() {
        return v.group();
    }

    @Override
    public List<String> getMembers() {
        return v.members();
    }

    @Override
    public boolean isSkipped() {
        return v.skipped();
    }

    @Override
    public long getStates() {
        return v.states();
    }

    @Override
    public long getRules() {
        return v.rules();
    }

    @Override
    public long getPacketsInPassed() {
        return packets(Direction.IN, Action.PASS);
    }

    @Override
    public long getPacketsInBlocked() {
        return packets(Direction.IN, Action.BLOCK);
    }

    @Override
    public long getPacketsOutPassed() {
        return packets(Direction.OUT, Action.PASS);
    }

    @Override
    public long getPacketsOutBlocked() {
        return packets(Direction.OUT, Action.BLOCK);
    }

    @Override
    public long getBytesInPassed() {
        return bytes(Direction.IN, Action.PASS);
    }

    @Override
    public long getBytesInBlocked() {
        return bytes(Direction.IN, Action.BLOCK);
    }

    @Override
    public long getBytesOutPassed() {
        return bytes(Direction.OUT, Action.PASS);
    }

    @Override
    public long getBytesOutBlocked() {
        return bytes(Direction.OUT, Action.BLOCK);
    }

    @Override
    public long getCleared() {
        return v.cleared();
    }
}
