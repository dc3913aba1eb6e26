package org.pfmeter.exporter.jmx;

import org.pfmeter.pf.model.StateLimiter;

final class StateLimiterBean implements StateLimiterMXBean {

    private volatile StateLimiter v;

    StateLimiterBean(StateLimiter v) {
        this.v = v;
    }

    void update(StateLimiter l) {
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
    public long getInuse() {
        return v.inuse();
    }

    @Override
    public java.math.BigInteger getAdmitted() {
        return Maps.unsigned(v.admitted());
    }

    @Override
    public java.math.BigInteger getHardlimited() {
        return Maps.unsigned(v.hardlimited());
    }

    @Override
    public java.math.BigInteger getRatelimited() {
        return Maps.unsigned(v.ratelimited());
    }
}
