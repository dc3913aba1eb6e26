package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.BillsFile;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;

/** The sample bills.conf loads through the configuration and bills the simulated firewall's series, as its comments say. */
class BillsSampleTest {

    static final Path BILLS = OpenBsdDistTest.DIST.resolve("bills.conf");

    @TempDir
    Path tmp;

    @Test
    void the_sample_bills_load_through_the_configuration() throws Exception {
        Config c = ConfigLoader.load(Optional.of(OpenBsdDistTest.DIST.resolve("pfmeter.conf")),
                Map.of(ConfigKey.PRIVILEGES_USER, "nobody", ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.toString(),
                        ConfigKey.BILLING_BILLS, BILLS.toString()));
        assertThat(c.accounting().bills()).contains(BILLS);
        assertThat(OpenBsdDistTest.DIST.resolve("pfmeter.conf")).content().contains("\n#billing.bills = /etc/pfmeter/bills.conf\n");
    }

    @Test
    void the_sample_bills_select_the_simulated_firewalls_labels_and_tables() {
        BillsFile f = BillsFile.load(BILLS);
        assertThat(f.bills()).extracting(Bill::name).containsExactly("acme", "globex", "dmz-hosting", "office", "acme-nets");
        assertThat(f.bills()).extracting(b -> b.cycle().day()).containsExactly(15, 5, 1, 20, 15);
        assertThat(f.bill("acme").includes(label("customers/acme", "acme-web"))).isTrue();
        assertThat(f.bill("globex").includes(label("customers/globex/web", "globex-https"))).isTrue();
        assertThat(f.bill("globex").includes(label("customers", "customers-transit"))).isFalse();
        assertThat(f.bill("dmz-hosting").includes(label("", "dmz-https"))).isTrue();
        assertThat(f.bill("office").includes(label("office", "office-voip"))).isTrue();
        assertThat(f.bill("office").includes(label("office", "office-dns"))).isFalse();
        assertThat(f.bill("acme-nets").includes(new SeriesKey(SeriesKind.TABLE_PASS, "customers/acme", "acme-nets", ""))).isTrue();
        assertThat(f.bill("acme-nets").includes(new SeriesKey(SeriesKind.TABLE_BLOCK, "customers/acme", "acme-nets", ""))).isFalse();
    }

    private static SeriesKey label(String anchor, String label) {
        return new SeriesKey(SeriesKind.LABEL, anchor, "", label);
    }
}
