package org.pfmeter.exporter.jmx;

import java.math.BigInteger;
import org.pfmeter.pf.model.SourceEntry;

/** One address entry of a source limiter, as JMX shows it (an open-type composite). */
public final class SourceEntryInfo {

    private final SourceEntry e;

    SourceEntryInfo(SourceEntry e) {
        this.e = e;
    }

    public String getAddress() {
        return e.address();
    }

    public String getAf() {
        return e.af().kernelName();
    }

    public long getRdomain() {
        return e.rdomain();
    }

    public long getInuse() {
        return e.inuse();
    }

    public BigInteger getAdmitted() {
        return Maps.unsigned(e.admitted());
    }

    public BigInteger getHardlimited() {
        return Maps.unsigned(e.hardlimited());
    }

    public BigInteger getRatelimited() {
        return Maps.unsigned(e.ratelimited());
    }
}
