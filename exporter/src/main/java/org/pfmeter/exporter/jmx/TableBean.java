package org.pfmeter.exporter.jmx;

import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

final class TableBean implements TableMXBean {

    private volatile TableStats v;

    TableBean(TableStats v) {
        this.v = v;
    }

    void update(TableStats t) {
        v = t;
    }

    @Override
    public String getAnchor() {
        return v.anchor();
    }

    @Override
    public String getName() {
        return v.name();
    }

    @Override
    public String getFlags() {
        return v.flagLetters();
    }

    @Override
    public long getAddresses() {
        return v.addresses();
    }

    @Override
    public long getMatches() {
        return v.match();
    }

    @Override
    public long getNomatches() {
        return v.nomatch();
    }

    @Override
    public long getPacketsInPass() {
        return v.packets(Direction.IN, TableAction.PASS);
    }

    @Override
    public long getPacketsInBlock() {
        return v.packets(Direction.IN, TableAction.BLOCK);
    }

    @Override
    public long getPacketsOutPass() {
        return v.packets(Direction.OUT, TableAction.PASS);
    }

    @Override
    public long getPacketsOutBlock() {
        return v.packets(Direction.OUT, TableAction.BLOCK);
    }

    @Override
    public long getBytesInPass() {
        return v.bytes(Direction.IN, TableAction.PASS);
    }

    @Override
    public long getBytesInBlock() {
        return v.bytes(Direction.IN, TableAction.BLOCK);
    }

    @Override
    public long getBytesOutPass() {
        return v.bytes(Direction.OUT, TableAction.PASS);
    }

    @Override
    public long getBytesOutBlock() {
        return v.bytes(Direction.OUT, TableAction.BLOCK);
    }
}
