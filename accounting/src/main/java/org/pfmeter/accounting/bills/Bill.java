package org.pfmeter.accounting.bills;

import java.util.List;
import java.util.Objects;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.store.SeriesKey;

/**
 * One bill of the bills file: what a provider charges one customer for.
 *
 * @param name     unique in the file; names the bill in the CLI, the API and the stored periods
 * @param customer the customer reference printed on the bill ("" when none is given)
 * @param members  the series the bill's traffic is made of, at least one
 * @param cycle    the bill's own billing day and time zone
 * @param type     95th percentile, quota or volume
 * @param source   where the bill is defined ("bills.conf:12"), for messages
 * @param actions  which of pf's actions its table and address members count (default pass)
 */
public record Bill(String name, String customer, List<BillMember> members, BillingCycle cycle, BillType type, String source,
                   BillActions actions) {

    /** A bill whose tables and addresses count what pf passed. */
    public Bill(String name, String customer, List<BillMember> members, BillingCycle cycle, BillType type, String source) {
        this(name, customer, members, cycle, type, source, BillActions.PASS);
    }

    public Bill {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(customer, "customer");
        members = List.copyOf(members);
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(actions, "actions");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("bill '" + name + "' has no members");
        }
    }

    /** True when the bill's traffic includes the series {@code k}. */
    public boolean includes(SeriesKey k) {
        if (!actions.selects(k.kind())) {
            return false;
        }
        for (BillMember m : members) {
            if (m.matches(k)) {
                return true;
            }
        }
        return false;
    }
}
