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
    public java.math.BigInteger getPacketsInPassed() {
        return Maps.unsigned(packets(Direction.IN, Action.PASS));
    }

    @Override
    public java.math.BigInteger getPacketsInBlocked() {
        return Maps.unsigned(packets(Direction.IN, Action.BLOCK));
    }

    @Override
    public java.math.BigInteger getPacketsOutPassed() {
        return Maps.unsigned(packets(Direction.OUT, Action.PASS));
    }

    @Override
    public java.math.BigInteger getPacketsOutBlocked() {
        return Maps.unsigned(packets(Direction.OUT, Action.BLOCK));
    }

    @Override
    public java.math.BigInteger getBytesInPassed() {
        return Maps.unsigned(bytes(Direction.IN, Action.PASS));
    }

    @Override
    public java.math.BigInteger getBytesInBlocked() {
        return Maps.unsigned(bytes(Direction.IN, Action.BLOCK));
    }

    @Override
    public java.math.BigInteger getBytesOutPassed() {
        return Maps.unsigned(bytes(Direction.OUT, Action.PASS));
    }

    @Override
    public java.math.BigInteger getBytesOutBlocked() {
        return Maps.unsigned(bytes(Direction.OUT, Action.BLOCK));
    }

    @Override
    public long getCleared() {
        return v.cleared();
    }
}
