package org.pfmeter.exporter.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every key of {@code pfmeter.conf}, with its default and what it allows. The same keys are what
 * command-line options override ({@link #option()}), so a value is validated the same way wherever
 * it comes from. The configuration table of exporter/README.md is generated from this list
 * ({@code pfmeter run --print-config-keys}).
 */
public enum ConfigKey {
    LISTEN("listen", "--listen", ":10190",
            "HOST:PORT, :PORT (every address) or [IPV6]:PORT; port 0 picks a free port",
            "HTTP address of /metrics, /-/healthy, /-/ready and the landing page"),
    DATA_DIR("data-dir", "--data-dir", "/var/db/pfmeter (./data with simulate)",
            "a directory; created if missing, must be writable",
            "where the embedded database and pfmeter's state live"),
    POLL_INTERVAL("poll.interval", "--interval", "10s",
            "a duration from 1s to 1h: 1s, 10s, 1m, 1h",
            "how often pf is read"),
    PF_DEVICE("pf.device", "--device", "/dev/pf",
            "a path", "the pf device, opened read-only"),
    PF_FD("pf.fd", "--pf-fd", "(none)",
            "a descriptor number >= 0",
            "use a /dev/pf descriptor inherited from the process that started pfmeter instead of opening pf.device"),
    PF_ABI("pf.abi", "--abi", "(the running kernel's release)",
            "7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0",
            "force the pf release instead of choosing it from uname -s and uname -r"),
    PF_REPLAY("pf.replay", "--replay", "(none)",
            "a trace file written by pfmeter record (.jsonl or .jsonl.gz)",
            "serve a recorded trace instead of reading pf"),
    PRIVILEGES_USER("privileges.user", "--user", "(none)",
            "an existing unprivileged user name (not root), e.g. _pfmeter",
            "pfmeter starts as root, opens pf, then switches to this user before anything else (required as root with a real pf)"),
    PRIVILEGES_GROUP("privileges.group", "--group", "(the user's primary group)",
            "an existing group name, e.g. _pfmeter; only with privileges.user",
            "the group pfmeter switches to with privileges.user (its only group afterwards)"),
    SIMULATE("simulate", "--simulate", "false",
            "true or false", "read the simulated pf instead of /dev/pf"),
    SIMULATE_SEED("simulate.seed", "--seed", "1",
            "an integer", "seeds the simulated firewall and its traffic"),
    SIMULATE_RELEASE("simulate.release", "--sim-release", "8.0",
            "7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0",
            "the release whose pf the simulated kernel speaks"),
    SIMULATE_SCALE("simulate.scale", "--sim-scale", "small",
            "small, large or huge (large with a state limit of 1,000,000)", "the simulated firewall's size"),
    SIMULATE_SPEED("simulate.speed", "--sim-speed", "1",
            "a number > 0 and <= 100000", "simulated seconds per real second (run)"),
    SIMULATE_FAULTS("simulate.faults", "--sim-fault", "(none)",
            "FAULT[@OFFSET[+DURATION]],... with FAULT one of busy-rule-walk, busy-always, ruleset-reload, "
                    + "zero-counters, interface-vanish, interface-appear, eacces, abi-mismatch, state-ramp, "
                    + "table-flush, address-readd, pf-restart and OFFSET/DURATION like 30m, 2h, 1d, 1h30m (no OFFSET: at the start)",
            "faults the simulated pf injects at simulated offsets from its start"),
    SIMULATE_ELAPSED("simulate.elapsed", "--sim-elapsed", "1h",
            "a duration from 0s", "simulated time that passes before show's one poll"),
    SIMULATE_PFSYNC("simulate.pfsync", "--sim-pfsync", "true",
            "true or false",
            "the simulated firewall is one of a CARP pair with pfsync configured: a pfsync0 interface, net.inet.pfsync.stats counting (false: pfsync is not present)"),
    TABLES_ADDRESS_COUNTERS("tables.address-counters", "--table-addresses", "(none)",
            "table names separated by commas: NAME for a table of the main ruleset, ANCHOR/PATH:NAME in an anchor; at most 64",
            "the tables whose per-address counters (pfctl -t NAME -T show -v) every poll reads, for JMX and show table-addresses; pf keeps them only for tables declared with counters"),
    MAX_LABEL_SERIES("metrics.max-label-series", "--max-label-series", "10000",
            "an integer from 0 to 1000000",
            "at most this many (anchor, label) pairs are exported; the rest are counted in pfmeter_series_dropped_total"),
    MAX_TABLE_SERIES("metrics.max-table-series", "--max-table-series", "2000",
            "an integer from 0 to 1000000",
            "at most this many tables are exported; the rest are counted in pfmeter_series_dropped_total"),
    METRICS_RULES("metrics.rules", "--rule-metrics", "false",
            "true or false",
            "export per-rule counters (pf_rule_*: evaluations, packets, bytes, states per anchor and rule number)"),
    MAX_RULE_SERIES("metrics.max-rule-series", "--max-rule-series", "10000",
            "an integer from 0 to 1000000",
            "with metrics.rules, at most this many rules are exported; the rest are counted in pfmeter_series_dropped_total"),
    SOURCE_NODES_MAX("source-nodes.max", null, "10000",
            "an integer from 0 to 10000000",
            "above this many source tracking nodes only their count is read, and pf_source_nodes_breakdown_skipped says so"),
    LIMITERS_TOP("limiters.top", null, "10",
            "an integer from 0 to 10000",
            "address entries of each source limiter kept with their addresses, most states first (JMX, pfmeter show limiters -v)"),
    SOURCE_NODES_TOP("source-nodes.top", null, "10",
            "an integer from 0 to 10000",
            "how many sources holding the most states are kept with their addresses (JMX and pfmeter show sources)"),
    STATES_ENABLED("states.enabled", null, "true",
            "true or false", "read the state table on its own schedule and export its breakdown (pf_states_by_*)"),
    STATES_INTERVAL("states.interval", null, "60s",
            "a duration from 1s to 1h", "how often the state table is read (DIOCGETSTATES copies every state)"),
    STATES_MAX_STATES("states.max-states", null, "1000000",
            "an integer from 0 to 10000000",
            "a larger state table is not read (pfmeter_states_breakdown_skipped_total counts the skips)"),
    STATES_TOP("states.top", null, "10",
            "an integer from 0 to 1000", "addresses in each top list of the breakdown (JMX, /api/states)"),
    STATES_LABEL_SHARE_ALERT("states.label-share-alert", null, "0.5",
            "a fraction > 0 and <= 1, e.g. 0.5",
            "share of the breakdown's states one label may hold before the PfStatesLabelShareHigh alert fires (served as pfmeter_states_label_share_alert_ratio)"),
    JMX_ENABLED("jmx.enabled", "--jmx", "true",
            "true or false", "register the MXBeans in the platform MBean server"),
    JMX_STATES_WARNING("jmx.states.warning", null, "80",
            "a percentage > 0 and < jmx.states.critical",
            "state-table usage that sends a warning notification"),
    JMX_STATES_CRITICAL("jmx.states.critical", null, "95",
            "a percentage > jmx.states.warning and <= 100",
            "state-table usage that sends a critical notification"),
    JMX_STATES_HYSTERESIS("jmx.states.hysteresis", null, "5",
            "percentage points >= 0 and < jmx.states.warning",
            "how far usage must fall below a threshold before the level drops back"),
    JMX_REMOTE_PORT("jmx.remote.port", "--jmx-port", "(off)",
            "a port 0-65535 (0 picks a free one); setting it turns remote JMX on",
            "port of the RMI registry and the JMX connector for JConsole"),
    JMX_REMOTE_BIND("jmx.remote.bind", "--jmx-bind", "127.0.0.1",
            "an address of this host", "address the remote JMX connector listens on"),
    JMX_REMOTE_PASSWORD_FILE("jmx.remote.password-file", "--jmx-password-file", "(required with jmx.remote.port)",
            "a readable file in jmxremote.password format (user password per line), not readable by others",
            "who may connect to remote JMX"),
    JMX_REMOTE_ACCESS_FILE("jmx.remote.access-file", "--jmx-access-file", "(none: every user may only read)",
            "a readable file in jmxremote.access format (user readonly|readwrite [create CLASS,...] [unregister] per line)",
            "what each remote JMX user may do"),
    JMX_REMOTE_TLS_KEYSTORE("jmx.remote.tls.keystore", "--jmx-keystore", "(none: no TLS)",
            "a readable PKCS12 or JKS key store",
            "turns TLS on for the registry and the connector"),
    JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE("jmx.remote.tls.keystore-password-file", "--jmx-keystore-password-file",
            "(required with jmx.remote.tls.keystore)",
            "a readable file whose first line is the key store's password", "unlocks the key store"),
    ACCOUNTING_ENABLED("accounting.enabled", "--accounting", "true",
            "true or false", "write every poll's label deltas into the accounting database (billing)"),
    ACCOUNTING_HOST("accounting.host", "--host-name", "(this host's name)",
            "a name of 1 to 255 characters", "the host stored with every accounting row (a fleet shares one database)"),
    ACCOUNTING_JDBC_URL("accounting.jdbc-url", "--jdbc-url", "(none: embedded H2 in data-dir)",
            "a JDBC URL, e.g. jdbc:postgresql://db.example:5432/pfmeter",
            "a shared database instead of the embedded H2 file data-dir/pfmeter.mv.db"),
    ACCOUNTING_JDBC_USER("accounting.jdbc-user", "--jdbc-user", "(none)", "a user name", "database user for accounting.jdbc-url"),
    ACCOUNTING_JDBC_PASSWORD_FILE("accounting.jdbc-password-file", "--jdbc-password-file", "(none)",
            "a readable file whose first line is the password", "database password for accounting.jdbc-url"),
    ACCOUNTING_BACKLOG("accounting.backlog-polls", null, "1440",
            "an integer from 1 to 1000000", "polls kept in memory while the database is unavailable"),
    ACCOUNTING_RETENTION_5M("accounting.retention.5m", null, "400d",
            "a duration (400d, P400D, 36h) or forever", "how long 5-minute buckets are kept"),
    ACCOUNTING_FIVE_MINUTE_RETENTION("accounting.five-minute-retention", null, "3d",
            "a duration (3d, P3D, 36h, 0d) or forever",
            "how long the 5-minute rows of sealed days are kept; after that the sealed day (every slot's packets and bytes)"
                    + " is the only copy, and reports read the same figures from it"),
    ACCOUNTING_RETENTION_1H("accounting.retention.1h", null, "(ignored)",
            "a duration or forever", "ignored since schema v5, which has no hourly table (kept so older configurations load)"),
    ACCOUNTING_RETENTION_1D("accounting.retention.1d", null, "(ignored)",
            "a duration or forever", "ignored since schema v5: daily sums are the sealed days, kept as long as accounting.retention.5m"),
    BILLING_DAY("billing.day", null, "1", "1 to 28", "day of the month a billing month starts"),
    BILLING_ZONE("billing.zone", null, "UTC", "an IANA time zone, e.g. Europe/Berlin", "time zone of billing months"),
    BILLING_CUSTOMERS("billing.customers", null, "(none)",
            "a readable mapping file: customer = label | anchor/path:label | glob:PATTERN | regex:PATTERN",
            "which labels belong to which customer"),
    BILLING_BILLS("billing.bills", null, "(none)", "a readable bills file of [bill NAME] sections, as accounting/README.md describes",
            "the bills: 95th percentile, quota or volume over labels, anchors, tables and addresses; closed periods are stored"),
    BILLING_DROP_DIRECTORY("billing.drop-directory", null, "(none: no files are written)",
            "a directory this user can write, created if missing",
            "at each bill period's end the daemon writes BILL-PERIOD.csv, .json and .html there, once"),
    BILLING_GAP_THRESHOLD("billing.gap-threshold", null, "1h", "a duration from 0s to 31d, e.g. 30m",
            "billing reports list the gaps in the data longer than this (shorter ones still lower the coverage)"),
    HTTP_BILLING_CREDENTIALS("http.billing-credentials", null, "(none: /billing is not served)",
            "a readable file of lines printed by pfmeter passwd USER",
            "turns on GET /billing and /billing/usage, with HTTP basic authentication against these users"),
    HTTP_BILLING_ALLOW_PLAIN("http.billing-allow-plain-http", null, "false",
            "true or false",
            "allow /billing over plain HTTP on an address other than loopback (only behind a TLS proxy on a trusted network)"),
    HTTP_TLS_KEYSTORE("http.tls.keystore", null, "(none: plain HTTP)",
            "a readable PKCS12 key store holding the server's private key and certificate chain",
            "turns HTTPS on: the listen address then speaks only TLS 1.2 and 1.3"),
    HTTP_TLS_KEYSTORE_PASSWORD_FILE("http.tls.keystore-password-file", null, "(required with http.tls.keystore)",
            "a readable file whose first line is the key store's password, not readable by others",
            "unlocks the HTTPS key store"),
    LOG_LEVEL("log.level", "--log-level", "info",
            "error, warn, info, debug", "what is logged to stderr");

    private final String key;
    private final String option;
    private final String defaultText;
    private final String allowed;
    private final String meaning;

    ConfigKey(String key, String option, String defaultText, String allowed, String meaning) {
        this.key = key;
        this.option = option;
        this.defaultText = defaultText;
        this.allowed = allowed;
        this.meaning = meaning;
    }

    /** The name in pfmeter.conf. */
    public String key() {
        return key;
    }

    /** The command-line option that overrides it, if any. */
    public Optional<String> option() {
        return Optional.ofNullable(option);
    }

    public String defaultText() {
        return defaultText;
    }

    public String allowed() {
        return allowed;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<ConfigKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /** A Markdown table of every key, for the README. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| key | option | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (ConfigKey k : values()) {
            b.append("| `").append(k.key).append("` | ").append(k.option == null ? "" : "`" + k.option + "`")
                    .append(" | ").append(k.defaultText).append(" | ").append(k.allowed.replace("|", "\\|"))
                    .append(" | ").append(k.meaning).append(" |\n");
        }
        return b.toString();
    }
}
