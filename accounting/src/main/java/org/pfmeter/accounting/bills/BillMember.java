package org.pfmeter.accounting.bills;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.pf.model.LabelKey;

/**
 * One member line of a bill: which series of the ledger its traffic is made of.
 * <ul>
 *   <li>{@code label = SELECTOR}: rule labels, selected as the customer mapping selects them
 *       ({@link CustomerMapping}: an exact qualified name, {@code glob:} or {@code regex:});</li>
 *   <li>{@code anchor = PATH}: every label of the rulesets whose anchor path is PATH, or matches it
 *       when it holds {@code *} (any characters, {@code /} included) or {@code ?} (one character);</li>
 *   <li>{@code table = SELECTOR}: a table's own counters (pfrts), the table named as a label is
 *       ({@code name} in the main ruleset, {@code anchor/path:name} in an anchor), same selectors;</li>
 *   <li>{@code address = SELECTOR ENTRY}: entries of tables accounted per address
 *       ({@code tables.address-counters}): ENTRY as pfctl prints it ({@code 10.1.0.0/24}), or
 *       {@code *} for every entry of the tables.</li>
 * </ul>
 * A table or entry is selected with its every series (the sum and each action's); the bill's
 * {@link BillActions} then takes the ones it counts. A series several members select is counted once.
 */
public final class BillMember {

    /** The member kinds, by their key in the bills file. */
    public enum Kind {
        LABEL, ANCHOR, TABLE, ADDRESS;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String selector;
    private final String entry;
    private final CustomerMapping names;
    private final Pattern anchor;

    private BillMember(Kind kind, String selector, String entry) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.entry = entry;
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("the " + kind.key() + " member is empty");
        }
        if (kind == Kind.ANCHOR) {
            this.names = null;
            this.anchor = Pattern.compile(CustomerMapping.globToRegex(selector));
        } else {
            // the billing layer's selectors, so that a bill names labels and tables as reports do
            try {
                this.names = CustomerMapping.of(Map.of("member", List.of(selector)));
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                int at = m.indexOf("bad pattern for customer 'member': ");
                throw new IllegalArgumentException("bad pattern in '" + selector + "': "
                        + (at < 0 ? m : m.substring(at + "bad pattern for customer 'member': ".length())), e);
            }
            this.anchor = null;
        }
    }

    public static BillMember label(String selector) {
        return new BillMember(Kind.LABEL, selector, null);
    }

    public static BillMember anchor(String pathOrGlob) {
        return new BillMember(Kind.ANCHOR, pathOrGlob, null);
    }

    public static BillMember table(String selector) {
        return new BillMember(Kind.TABLE, selector, null);
    }

    /** @param entry the entry as pfctl prints it, or "*" for every entry */
    public static BillMember address(String tableSelector, String entry) {
        if (entry == null || entry.isEmpty()) {
            throw new IllegalArgumentException("an address member needs the table and the entry (or *): 'address = "
                    + tableSelector + " 10.1.0.0/24'");
        }
        return new BillMember(Kind.ADDRESS, tableSelector, entry);
    }

    public Kind kind() {
        return kind;
    }

    /** As written in the bills file after {@code kind =}. */
    public String text() {
        return kind == Kind.ADDRESS ? selector + " " + entry : selector;
    }

    /** True when this member's traffic includes the series {@code k}. */
    public boolean matches(SeriesKey k) {
        return switch (kind) {
            case LABEL -> k.kind() == SeriesKind.LABEL && names.customerOf(k.labelKey()).isPresent();
            case ANCHOR -> k.kind() == SeriesKind.LABEL && anchor.matcher(k.anchor()).matches();
            case TABLE -> k.kind().isTable() && names.customerOf(new LabelKey(k.anchor(), k.table())).isPresent();
            case ADDRESS -> k.kind().isAddress() && (entry.equals("*") || entry.equals(k.label()))
                    && names.customerOf(new LabelKey(k.anchor(), k.table())).isPresent();
        };
    }

    @Override
    public String toString() {
        return kind.key() + " = " + text();
    }
}
