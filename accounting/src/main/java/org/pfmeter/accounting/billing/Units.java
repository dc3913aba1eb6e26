package org.pfmeter.accounting.billing;

import java.util.Locale;

/**
 * How reports print volumes and rates for people: SI prefixes (powers of 1000: kB, MB, GB;
 * kbit/s, Mbit/s) or IEC prefixes (powers of 1024: KiB, MiB, GiB; Kibit/s, Mibit/s). Config key
 * {@code billing.units} ({@code si} or {@code iec}). The exact figures (bytes, packets, bit/s) are
 * printed beside the human ones either way.
 */
public enum Units {
    SI(1000, new String[] {"", "k", "M", "G", "T", "P", "E"}),
    IEC(1024, new String[] {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"});

    private final int base;
    private final String[] prefixes;

    Units(int base, String[] prefixes) {
        this.base = base;
        this.prefixes = prefixes;
    }

    public int base() {
        return base;
    }

    public static Units parse(String s) {
        for (Units u : values()) {
            if (u.name().equalsIgnoreCase(s.trim())) {
                return u;
            }
        }
        throw new IllegalArgumentException("billing.units: '" + s + "' is not a unit system; use si (1000) or iec (1024)");
    }

    /** "1.23 GB" (SI) or "1.15 GiB" (IEC); three significant decimals, bytes below the base as is. */
    public String bytes(long bytes) {
        return scaled(bytes, "B");
    }

    /** "12.4 Mbit/s" (SI) or "11.8 Mibit/s" (IEC). */
    public String bitsPerSecond(double bps) {
        return scaled(bps, "bit/s");
    }

    private String scaled(double v, String unit) {
        int i = 0;
        while (Math.abs(v) >= base && i < prefixes.length - 1) {
            v /= base;
            i++;
        }
        if (i == 0) {
            return (v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v))
                    + " " + unit;
        }
        return String.format(Locale.ROOT, "%.2f %s%s", v, prefixes[i], unit);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
