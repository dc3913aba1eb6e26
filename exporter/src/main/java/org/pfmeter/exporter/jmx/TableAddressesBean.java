package org.pfmeter.exporter.jmx;

import java.util.List;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.TableAddresses;

final class TableAddressesBean implements TableAddressesMXBean {

    private volatile TableAddresses v;

    TableAddressesBean(TableAddresses v) {
        this.v = v;
    }

    void update(TableAddresses t) {
        v = t;
    }

    @Override
    public String getAnchor() {
        return v.table().anchor();
    }

    @Override
    public String getName() {
        return v.table().name();
    }

    @Override
    public boolean isFound() {
        return v.found();
    }

    @Override
    public int getAddressCount() {
        return v.addresses().size();
    }

    @Override
    public int getCountedAddressCount() {
        return (int) v.addresses().stream().filter(AddressCounters::counted).count();
    }

    @Override
    public List<TableEntry> getEntries() {
        return v.addresses().stream().map(TableEntry::new).toList();
    }
}
