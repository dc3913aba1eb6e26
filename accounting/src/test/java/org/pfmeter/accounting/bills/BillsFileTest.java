package org.pfmeter.accounting.bills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;

class BillsFileTest {

    @Test
    void reads_every_type_member_kind_day_and_zone() {
        BillsFile f = BillsFile.parse("""
                # comment
                [bill acme]
                customer  = ACME Corp, contract#1001   # a comment: "#" after a space
                type      = 95th
                commit    = 1.5M
                direction = aggregate
                day       = 15
                zone      = Europe/Berlin
                anchor    = customers/acme*
                label     = glob:acme-*
                table     = customers/acme:acme-nets
                address   = customers/globex:globex-nets 10.2.0.0/24

                [bill q]
                type  = quota
                quota = 500Gi
                direction = in
                label = web

                [bill v]
                type = volume
                label = regex:office:office-(web|mail)
                """, "b.conf");
        assertThat(f.bills()).extracting(Bill::name).containsExactly("acme", "q", "v");
        Bill acme = f.bill("acme");
        assertThat(acme.customer()).isEqualTo("ACME Corp, contract#1001");
        assertThat(acme.type()).isEqualTo(new BillType.Percentile95(1_500_000, BillType.RateDirection.AGGREGATE));
        assertThat(acme.cycle().day()).isEqualTo(15);
        assertThat(acme.cycle().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(acme.source()).isEqualTo("b.conf:2");
        assertThat(f.bill("q").type()).isEqualTo(new BillType.Quota(500L << 30, BillType.QuotaDirection.IN));
        assertThat(f.bill("q").cycle().day()).isEqualTo(1);
        assertThat(f.bill("v").type()).isInstanceOf(BillType.Volume.class);

        // members
        assertThat(acme.includes(label("customers/acme", "mail"))).isTrue();
        assertThat(acme.includes(label("customers/acme/sub", "x"))).as("the glob's * matches /").isTrue();
        assertThat(acme.includes(label("", "acme-web"))).isTrue();
        assertThat(acme.includes(label("", "web"))).isFalse();
        // tables and entries: what pf passed, unless the bill says otherwise
        assertThat(acme.actions()).isEqualTo(BillActions.PASS);
        assertThat(acme.includes(new SeriesKey(SeriesKind.TABLE_PASS, "customers/acme", "acme-nets", ""))).isTrue();
        assertThat(acme.includes(new SeriesKey(SeriesKind.TABLE_BLOCK, "customers/acme", "acme-nets", ""))).isFalse();
        assertThat(acme.includes(new SeriesKey(SeriesKind.TABLE_XPASS, "customers/acme", "acme-nets", ""))).isFalse();
        assertThat(acme.includes(new SeriesKey(SeriesKind.TABLE, "customers/acme", "acme-nets", "")))
                .as("the sum over the actions is 'action = all'").isFalse();
        assertThat(acme.includes(new SeriesKey(SeriesKind.ADDRESS_PASS, "customers/acme", "acme-nets", "10.1.0.1")))
                .as("a table member is the table's own counters, not its entries").isFalse();
        assertThat(acme.includes(new SeriesKey(SeriesKind.ADDRESS_PASS, "customers/globex", "globex-nets", "10.2.0.0/24"))).isTrue();
        assertThat(acme.includes(new SeriesKey(SeriesKind.ADDRESS_MATCH, "customers/globex", "globex-nets", "10.2.0.0/24"))).isFalse();
        assertThat(acme.includes(new SeriesKey(SeriesKind.ADDRESS_PASS, "customers/globex", "globex-nets", "10.2.1.0/24"))).isFalse();
        assertThat(f.bill("v").includes(label("office", "office-web"))).isTrue();
        assertThat(f.bill("v").includes(label("office", "office-dns"))).isFalse();
    }

    @Test
    void action_chooses_which_of_pfs_actions_the_tables_and_addresses_count_and_labels_are_not_concerned() {
        BillsFile f = BillsFile.parse("""
                [bill blocked]
                type   = volume
                action = block
                table  = nets
                address = nets *
                label  = web

                [bill delivered]
                type   = volume
                action = xpass, PASS
                table  = nets

                [bill legacy]
                type   = volume
                action = all
                table  = nets
                address = nets *
                """, "a.conf");
        Bill blocked = f.bill("blocked");
        assertThat(blocked.actions().text()).isEqualTo("block");
        assertThat(blocked.includes(new SeriesKey(SeriesKind.TABLE_BLOCK, "", "nets", ""))).isTrue();
        assertThat(blocked.includes(new SeriesKey(SeriesKind.ADDRESS_BLOCK, "", "nets", "10.0.0.1"))).isTrue();
        assertThat(blocked.includes(new SeriesKey(SeriesKind.TABLE_PASS, "", "nets", ""))).isFalse();
        assertThat(blocked.includes(new SeriesKey(SeriesKind.ADDRESS, "", "nets", "10.0.0.1"))).isFalse();
        assertThat(blocked.includes(label("", "web"))).as("a rule's counters are its own action's").isTrue();
        Bill delivered = f.bill("delivered");
        assertThat(delivered.actions().text()).as("in pf's order").isEqualTo("pass, xpass");
        assertThat(delivered.includes(new SeriesKey(SeriesKind.TABLE_PASS, "", "nets", ""))).isTrue();
        assertThat(delivered.includes(new SeriesKey(SeriesKind.TABLE_XPASS, "", "nets", ""))).isTrue();
        assertThat(delivered.includes(new SeriesKey(SeriesKind.TABLE_MATCH, "", "nets", ""))).isFalse();
        Bill legacy = f.bill("legacy");
        assertThat(legacy.actions().isAll()).isTrue();
        assertThat(legacy.includes(new SeriesKey(SeriesKind.TABLE, "", "nets", ""))).isTrue();
        assertThat(legacy.includes(new SeriesKey(SeriesKind.ADDRESS, "", "nets", "10.0.0.1"))).isTrue();
        for (SeriesKind k : SeriesKind.values()) {
            if (k.action().isPresent()) {
                assertThat(legacy.includes(new SeriesKey(k, "", "nets", k.isAddress() ? "10.0.0.1" : "")))
                        .as("all is the sum series, never with an action's as well: %s", k).isFalse();
            }
        }

        assertThatThrownBy(() -> BillsFile.parse("""
                [bill x]
                type   = volume
                table  = nets
                action = pass, passed
                """, "x.conf")).hasMessageContaining("x.conf:4: action: 'pass, passed' is not allowed; use pass, block, match,"
                        + " xpass, a list of them (pass, xpass), or all");
        assertThatThrownBy(() -> BillsFile.parse("""
                [bill x]
                type   = volume
                table  = nets
                action = pass
                action = block
                """, "x.conf")).hasMessageContaining("x.conf:5: action of bill 'x' is already set at x.conf:4");
    }

    @Test
    void reports_every_problem_with_its_file_and_line() {
        assertThatThrownBy(() -> BillsFile.parse("""
                type = volume
                [bill a]
                type = 95th
                label = web
                [bill a]
                type = quota
                quota = 12 bytes
                label = x
                [bill c]
                type = 95th
                commit = 1Gi
                direction = total
                day = 31
                zone = Mars/Olympus
                colour = red
                label = x
                label = regex:(
                address = t
                [bill d]
                type = volume
                [bill]
                """, "b.conf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b.conf:1: 'type' outside a bill")
                .hasMessageContaining("b.conf:2: a 95th-percentile bill needs 'commit = RATE'")
                .hasMessageContaining("b.conf:5: bill 'a' is already defined at b.conf:2")
                .hasMessageContaining("b.conf:7: quota: '12 bytes' is not an amount")
                .hasMessageContaining("b.conf:11: commit: '1Gi': a rate takes k, M, G or T")
                .hasMessageContaining("b.conf:13: day: 31 is not allowed")
                .hasMessageContaining("b.conf:15: unknown key 'colour' in bill 'c'")
                .hasMessageContaining("b.conf:17: bad pattern in 'regex:(': Unclosed group")
                .hasMessageContaining("b.conf:14: zone: 'Mars/Olympus' is not a time zone")
                .hasMessageContaining("b.conf:18: an address member is 'TABLE ENTRY'")
                .hasMessageContaining("b.conf:19: bill 'd' has no members")
                .hasMessageContaining("b.conf:21: '[bill]' is not a bill header");
    }

    @Test
    void a_direction_must_fit_the_type_and_a_volume_bill_has_no_amounts() {
        assertThatThrownBy(() -> BillsFile.parse("[bill x]\ntype = quota\nquota = 1G\ndirection = max\nlabel = a\n", "f"))
                .hasMessageContaining("f:4: direction 'max' is not allowed here; use in, out or total");
        assertThatThrownBy(() -> BillsFile.parse("[bill x]\ntype = volume\nquota = 1G\nlabel = a\n", "f"))
                .hasMessageContaining("f:3: quota is not allowed here: a volume bill has no quota");
        assertThatThrownBy(() -> BillsFile.parse("[bill x]\ntype = 95th\ncommit = 0\nlabel = a\n", "f"))
                .hasMessageContaining("f:3: commit: must be at least 1");
        assertThatThrownBy(() -> BillsFile.parse("[bill x]\ntype = monthly\nlabel = a\n", "f"))
                .hasMessageContaining("f:2: type 'monthly' is not one of 95th, quota, volume");
        assertThatThrownBy(() -> BillsFile.parse("[bill x]\ntype = volume\nlabel = a\n", "f").bill("y"))
                .hasMessageContaining("no bill 'y' in f; its bills: x");
    }

    @Test
    void an_interval_is_above_the_commit_only_when_its_rate_exceeds_it() {
        // 1 Mbit/s over 300 s is 37,500,000 bytes
        assertThat(PeriodFigures.aboveCommit(37_500_000, 1_000_000)).isFalse();
        assertThat(PeriodFigures.aboveCommit(37_500_001, 1_000_000)).isTrue();
        assertThat(PeriodFigures.aboveCommit(Long.MAX_VALUE, BillType.MAX_COMMIT)).isTrue();
    }

    private static SeriesKey label(String anchor, String label) {
        return new SeriesKey(SeriesKind.LABEL, anchor, "", label);
    }
}
