package org.pfmeter.pf.model;

/** {@code pf_status.syncookies_mode}: {@code PF_SYNCOOKIES_NEVER}, {@code _ALWAYS}, {@code _ADAPTIVE}. */
public enum SyncookieMode implements KernelName {
    NEVER("never"),
    ALWAYS("always"),
    ADAPTIVE("adaptive");

    private final String kernelName;

    SyncookieMode(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }

    public static SyncookieMode of(int value) {
        SyncookieMode[] all = values();
        if (value < 0 || value >= all.length) {
            throw new IllegalArgumentException("unknown syncookies_mode " + value);
        }
        return all[value];
    }
}
