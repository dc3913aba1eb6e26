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
    public java.math.BigInteger getMatches() {
        return Maps.unsigned(v.match());
    }

    @Override
    public java.math.BigInteger getNomatches() {
        return Maps.unsigned(v.nomatch());
    }

    @Override
    public java.math.BigInteger getPacketsInPass() {
        return Maps.unsigned(v.packets(Direction.IN, TableAction.PASS));
    }

    @Override
    public java.math.BigInteger getPacketsInBlock() {
        return Maps.unsigned(v.packets(Direction.IN, TableAction.BLOCK));
    }

    @Override
    public java.math.BigInteger getPacketsOutPass() {
        return Maps.unsigned(v.packets(Direction.OUT, TableAction.PASS));
    }

    @Override
    public java.math.BigInteger getPacketsOutBlock() {
        return Maps.unsigned(v.packets(Direction.OUT, TableAction.BLOCK));
    }

    @Override
    public java.math.BigInteger getBytesInPass() {
        return Maps.unsigned(v.bytes(Direction.IN, TableAction.PASS));
    }

    @Override
    public java.math.BigInteger getBytesInBlock() {
        return Maps.unsigned(v.bytes(Direction.IN, TableAction.BLOCK));
    }

    @Override
    public java.math.BigInteger getBytesOutPass() {
        return Maps.unsigned(v.bytes(Direction.OUT, TableAction.PASS));
    }

    @Override
    public java.math.BigInteger getBytesOutBlock() {
        return Maps.unsigned(v.bytes(Direction.OUT, TableAction.BLOCK));
    }
}
