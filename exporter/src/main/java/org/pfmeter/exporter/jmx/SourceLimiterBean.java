package org.pfmeter.exporter.jmx;

import java.util.List;
import org.pfmeter.pf.model.SourceLimiter;

final class SourceLimiterBean implements SourceLimiterMXBean {

    private volatile SourceLimiter v;

    SourceLimiterBean(SourceLimiter v) {
        this.v = v;
    }

    void update(SourceLimiter l) {
        v = l;
    }

    @Override
    public int getId() {
        return v.id();
    }

    @Override
    public String getName() {
        return v.name();
    }

    @Override
    public long getEntries() {
        return v.entries();
    }

    @Override
    public long getLimit() {
        return v.limit();
    }

    @Override
    public long getRateLimit() {
        return v.rateLimit();
    }

    @Override
    public long getRateSeconds() {
        return v.rateSeconds();
    }

    @Override
    public String getOverloadTable() {
        return v.overloadTable();
    }

    @Override
    public long getInetPrefix() {
        return v.inetPrefix();
    }

    @Override
    public long getInet6Prefix() {
        return v.inet6Prefix();
    }

    @Override
    public long getNentries() {
        return v.nentries();
    }

    @Override
    public long getInuse() {
        return v.inuse();
    }

    @Override
    public java.math.BigInteger getAddrallocs() {
        return Maps.unsigned(v.addrallocs());
    }

    @Override
    public java.math.BigInteger getAddrnomem() {
        return Maps.unsigned(v.addrnomem());
    }

    @Override
    public java.math.BigInteger getAdmitted() {
        return Maps.unsigned(v.admitted());
    }

    @Override
    public java.math.BigInteger getAddrlimited() {
        return Maps.unsigned(v.addrlimited());
    }

    @Override
    public java.math.BigInteger getHardlimited() {
        return Maps.unsigned(v.hardlimited());
    }

    @Override
    public java.math.BigInteger getRatelimited() {
        return Maps.unsigned(v.ratelimited());
    }

    @Override
    public long getSourceCount() {
        return v.sources().count();
    }

    @Override
    public List<SourceEntryInfo> getTopSources() {
        return v.sources().top().stream().map(SourceEntryInfo::new).toList();
    }
}
