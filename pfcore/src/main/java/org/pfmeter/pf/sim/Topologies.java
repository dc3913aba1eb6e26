package org.pfmeter.pf.sim;

import java.util.Locale;
import java.util.SplittableRandom;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;

/** The two firewalls the simulator presents ({@link SimScale}). */
final class Topologies {

    private static final int ROOT = QueueStats.PFQS_ROOTCLASS;
    private static final int DEFAULT = QueueStats.PFQS_DEFAULT;
    private static final int FLOWS = QueueStats.PFQS_FLOWQUEUE;
    private static final int PERSIST = TableStats.PFR_TFLAG_PERSIST;
    private static final int CONST = TableStats.PFR_TFLAG_CONST;
    private static final int COUNTERS = TableStats.PFR_TFLAG_COUNTERS;

    private Topologies() {
    }

    /**
     * The demo firewall: an office/hosting gateway with 8 interfaces (em0 = egress, em1 LAN, em2 DMZ,
     * three VLANs, lo0 skipped, pflog0), 60 rules carrying 36 labels over the main ruleset and the
     * anchors office, customers, customers/acme, customers/globex and customers/globex/web, 8 tables
     * and 8 queues (an HFSC tree on em0 and a stand-alone FQ-CoDel queue on em1).
     */
    static Topology small(long seed, java.util.Map<String, String> names) {
        Topology.Builder b = new Topology.Builder(seed).names(names);
        b.iface("em0", false, "egress").iface("em1", false).iface("em2", false).iface("lo0", true, "lo")
                .iface("pflog0", false, "pflog").iface("vlan100", false, "vlan").iface("vlan200", false, "vlan")
                .iface("vlan300", false, "vlan").logInterface("em0");
        b.queue("rootq", "", "em0", 1_000_000_000L, 0, ROOT, 50, 0, 0)
                .queue("std", "rootq", "em0", 400_000_000L, 0, DEFAULT, 50, 0.0005, 0)
                .queue("voip", "rootq", "em0", 50_000_000L, 20_000_000L, 0, 50, 0, 0)
                .queue("bulk", "rootq", "em0", 200_000_000L, 0, 0, 100, 0.004, 0)
                .queue("customers", "rootq", "em0", 300_000_000L, 0, 0, 50, 0, 0)
                .queue("cust-acme", "customers", "em0", 150_000_000L, 0, 0, 50, 0.001, 0)
                .queue("cust-globex", "customers", "em0", 150_000_000L, 0, 0, 50, 0.002, 0)
                .queue("lanq", "", "em1", 0, 0, FLOWS | DEFAULT, 1024, 0.0002, 1024);
        int main = 0;
        int office = b.anchor(main, "office");
        int customers = b.anchor(main, "customers");
        int acme = b.anchor(customers, "acme");
        int globex = b.anchor(customers, "globex");
        int web = b.anchor(globex, "web");
        b.table(main, "bruteforce", 37, PERSIST).table(main, "admins", 4, CONST).table(main, "webservers", 6, CONST)
                .table(main, "mailservers", 2, CONST).table(main, "lan-nets", 4, CONST)
                .table(office, "printers", 5, PERSIST).table(acme, "acme-nets", 12, PERSIST | COUNTERS)
                .table(globex, "globex-nets", 8, PERSIST | COUNTERS);
        rules(b, main, """
                block in log on egress inet label blocked-egress traffic background 40k
                block in log on egress inet6 label blocked-egress traffic background 8k
                block in quick on egress from <bruteforce> label bruteforce-drop traffic background 6k
                pass out on egress inet label egress-v4 traffic residential 1.5M
                pass out on egress inet6 label egress-v6 traffic residential 500k
                pass out on egress inet udp port 5060 label voip-out queue voip traffic office 60k
                pass out on egress inet tcp port 873 label offsite-backup queue bulk traffic backup 900k
                pass in on em1 inet tcp port 443 label lan-web traffic residential 900k
                pass in on em1 inet6 tcp port 443 label lan-web traffic residential 300k
                pass in on em1 inet tcp port 80 label lan-web traffic residential 150k
                pass in on em1 udp port 53 label lan-dns traffic infra 12k
                pass in on em1 udp port 123 label lan-ntp traffic infra 1k
                pass in on em1 tcp port 22 label lan-ssh traffic office 20k
                pass in on em1 tcp port 993 label lan-mail traffic office 40k
                pass in on em1 traffic residential 100k
                pass in on egress inet tcp from <admins> port 22 label admin-ssh traffic office 8k
                pass in on egress inet tcp to <webservers> port 443 label dmz-https traffic server 1.2M
                pass in on egress inet6 tcp to <webservers> port 443 label dmz-https traffic server 300k
                pass in on egress inet tcp to <webservers> port 8443 label dmz-alt traffic server 40k
                pass in on egress inet tcp to <webservers> port 80 label dmz-http traffic server 100k
                pass in on egress inet tcp to <mailservers> port 25 label dmz-smtp queue bulk traffic server 150k
                pass in on egress inet udp to <mailservers> port 53 label dmz-dns traffic infra 20k
                pass in on egress inet icmp label icmp-in traffic infra 2k
                pass in on egress inet6 icmp6 label icmp-in traffic infra 1k
                pass in on egress inet udp port 500 label vpn-ike traffic infra 2k
                pass in on em2 label dmz-out traffic server 200k
                pass in on em2 inet tcp to <lan-nets> port 5432 label dmz-db traffic server 80k
                pass out on em1 traffic infra 5k
                pass out on em2 traffic server 30k
                pass out on egress traffic background 3k
                anchor office on vlan100
                anchor customers
                """);
        rules(b, office, """
                block in on vlan100 to <printers> port 9100 label office-blocked traffic office 1k
                pass in on vlan100 tcp port 443 label office-web traffic office 400k
                pass in on vlan100 tcp port 80 label office-web traffic office 60k
                pass in on vlan100 udp port 53 label office-dns traffic infra 4k
                pass in on vlan100 tcp port 993 label office-mail traffic office 30k
                pass in on vlan100 tcp to <printers> port 631 label office-print traffic office 10k
                pass in on vlan100 udp port 5060 label office-voip traffic office 30k
                pass in on vlan100 traffic office 50k
                pass out on vlan100 traffic office 2k
                """);
        rules(b, customers, """
                pass in on egress label customers-transit traffic server 200k
                anchor acme
                anchor globex
                pass out
                """);
        rules(b, acme, """
                pass in on vlan200 tcp port 443 label acme-web traffic office 300k
                pass out on vlan200 tcp port 443 label acme-web traffic server 150k
                pass in on vlan200 tcp port 25 label acme-mail traffic server 40k
                pass in on egress tcp to <acme-nets> port 22 label acme-ssh queue cust-acme traffic office 5k
                pass out on egress tcp from <acme-nets> port 873 label acme-backup queue cust-acme traffic backup 400k
                pass in on vlan200 traffic office 20k
                """);
        // globex's rules name no interface: its VLAN can vanish (the kernel keeps a kif that rules name)
        rules(b, globex, """
                pass in from <globex-nets> label globex-transit via vlan300 traffic residential 250k
                pass out to <globex-nets> label globex-transit via vlan300 traffic residential 100k
                pass out on egress tcp from <globex-nets> port 873 label globex-backup queue cust-globex traffic backup 300k
                anchor web
                block in from <globex-nets> via vlan300 traffic background 1k
                """);
        rules(b, web, """
                pass in tcp port 443 label globex-https via vlan300 traffic server 500k
                pass in inet6 tcp port 443 label globex-https via vlan300 traffic server 100k
                pass in tcp port 80 label globex-http via vlan300 traffic server 50k
                pass out via vlan300 traffic server 5k
                """);
        return b.build(1_500);
    }

    private static void rules(Topology.Builder b, int ruleset, String lines) {
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                b.rule(ruleset, line);
            }
        }
    }

    /** Per customer anchor in LARGE: ten services (plus "transit"), each label on several rules. */
    private static final String[][] CUSTOMER_SERVICES = {
        {"web", "tcp", "443", "server"}, {"web6", "tcp", "443", "server"},
        {"mail", "tcp", "25", "server"}, {"imap", "tcp", "993", "office"}, {"ssh", "tcp", "22", "office"},
        {"dns", "udp", "53", "infra"}, {"vpn", "udp", "1194", "residential"}, {"backup", "tcp", "873", "backup"},
        {"voip", "udp", "5060", "office"}, {"db", "tcp", "5432", "server"},
    };

    /**
     * A large hosting firewall: 256 interfaces (em0–em3, lo0, pflog0, vlan100–vlan349), 50,000
     * rules with 5,000 labels (the main ruleset, "office", and 400 customer anchors below
     * "customers", 402 anchors in all, within the default anchor limit of 512), 1,000 tables (the
     * default table limit) and 64 queues.
     */
    static Topology large(long seed, java.util.Map<String, String> names) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x1a46eL);
        Topology.Builder b = new Topology.Builder(seed).names(names);
        b.iface("em0", false, "egress").iface("em1", false).iface("em2", false).iface("em3", false)
                .iface("lo0", true, "lo").iface("pflog0", false, "pflog");
        for (int v = 100; v < 350; v++) {
            b.iface("vlan" + v, false, "vlan");
        }
        b.logInterface("em0");
        b.queue("rootq", "", "em0", 10_000_000_000L, 0, ROOT, 50, 0, 0)
                .queue("std", "rootq", "em0", 2_000_000_000L, 0, DEFAULT, 100, 0.0005, 0);
        for (int q = 1; q <= 61; q++) {
            b.queue(String.format(Locale.ROOT, "cq%02d", q), "rootq", "em0", 100_000_000L, 0, 0, 50, 0.001 * (q % 4), 0);
        }
        b.queue("lanq", "", "em1", 0, 0, FLOWS | DEFAULT, 1024, 0.0002, 1024);

        int main = 0;
        int office = b.anchor(main, "office");
        int customers = b.anchor(main, "customers");
        int customerCount = 400;
        int[] anchors = new int[customerCount];
        for (int c = 0; c < customerCount; c++) {
            anchors[c] = b.anchor(customers, String.format(Locale.ROOT, "c%03d", c + 1));
            // the first 20 customers' tables keep per-address counters (table <nets> counters persist)
            b.table(anchors[c], "nets", 50 + rnd.nextInt(300), c < 20 ? PERSIST | COUNTERS : PERSIST);
        }
        for (int t = 0; t < 600; t++) {
            b.table(main, String.format(Locale.ROOT, "net-%03d", t), 20 + rnd.nextInt(180), t % 3 == 0 ? PERSIST : CONST);
        }
        // main: 3,000 rules, 500 labels (each on several rules), blocks, unlabelled rules, two anchor calls
        String[] kinds = {"server", "office", "residential", "infra", "backup"};
        int mainRules = 3000;
        for (int i = 0; i < mainRules - 2; i++) {
            String rule;
            if (i % 30 == 0) {
                rule = "block in log on egress from <net-" + String.format(Locale.ROOT, "%03d", i / 30 % 600)
                        + "> label " + String.format(Locale.ROOT, "svc-%03d", i * 500 / (mainRules - 2)) + " traffic background 2k";
            } else if (i % 7 == 3) {
                rule = "pass in on em" + (1 + i % 3) + " tcp port " + (1024 + i) + " traffic " + kinds[i % 5] + " 3k";
            } else {
                String iface = i % 2 == 0 ? "egress" : "em" + (1 + i % 3);
                rule = "pass in on " + iface + " " + (i % 5 == 0 ? "inet6 " : "inet ") + (i % 4 == 0 ? "udp" : "tcp")
                        + " to <net-" + String.format(Locale.ROOT, "%03d", i % 600) + "> port " + (1000 + i % 4000)
                        + " label " + String.format(Locale.ROOT, "svc-%03d", i * 500 / (mainRules - 2))
                        + (iface.equals("egress") ? " queue " + String.format(Locale.ROOT, "cq%02d", 1 + i % 61) : "")
                        + " traffic " + kinds[i % 5] + " " + (2 + rnd.nextInt(40)) + "k";
            }
            b.rule(main, rule);
        }
        b.rule(main, "anchor office on em2");
        b.rule(main, "anchor customers");
        // office: 600 rules, 100 labels
        for (int i = 0; i < 600; i++) {
            String rule = i % 6 == 5
                    ? "pass in on em2 traffic office 1k"
                    : "pass in on em2 tcp port " + (2000 + i) + " label " + String.format(Locale.ROOT, "office-%02d", i / 6)
                            + " traffic office " + (1 + rnd.nextInt(20)) + "k";
            b.rule(office, rule);
        }
        // customers: 400 anchor calls; each customer anchor: 115 rules, 11 labels, no interface named
        for (int c = 0; c < customerCount; c++) {
            b.rule(customers, "anchor " + String.format(Locale.ROOT, "c%03d", c + 1));
        }
        for (int c = 0; c < customerCount; c++) {
            String vlan = "vlan" + (100 + c % 250);
            b.rule(anchors[c], "pass in on egress to <nets> label transit queue "
                    + String.format(Locale.ROOT, "cq%02d", 1 + c % 61) + " traffic residential " + (5 + rnd.nextInt(50)) + "k");
            int labelled = 0;
            for (int i = 1; i < 115; i++) {
                if (i % 10 == 9) {
                    b.rule(anchors[c], (i % 20 == 9 ? "block in" : "pass out") + " via " + vlan + " traffic background 1k");
                    continue;
                }
                String[] svc = CUSTOMER_SERVICES[labelled++ % CUSTOMER_SERVICES.length];
                b.rule(anchors[c], "pass " + (i % 3 == 0 ? "out" : "in") + (svc[0].equals("web6") ? " inet6 " : " ") + svc[1]
                        + " port " + svc[2] + " label " + svc[0] + " via " + vlan + " traffic " + svc[3] + " "
                        + (1 + rnd.nextInt(30)) + "k");
            }
        }
        return b.build(30_000);
    }
}
