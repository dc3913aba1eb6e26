package org.pfmeter.exporter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfRelease;
import org.pfmeter.pf.sim.FaultSchedule;
import org.pfmeter.pf.sim.SimScale;

/**
 * Reads {@code pfmeter.conf} and applies command-line overrides, then validates every value.
 *
 * <p>The file has one {@code key = value} per line; blank lines and lines starting with {@code #}
 * are ignored; a value runs to the end of its line (surrounding spaces trimmed, no inline comments).
 * A key may appear once. Unknown keys, values outside what a key allows, combinations that cannot
 * work and paths that cannot be used are refused with a message naming the key, where it was set
 * (file and line, or the option) and what is allowed.
 */
public final class ConfigLoader {

    /** Where a value came from, for messages: "pfmeter.conf:3" or "--listen". */
    private record Setting(String value, String origin) {
    }

    private final Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
    private final List<String> problems = new ArrayList<>();
    private boolean checkDataDir = true;

    private ConfigLoader() {
    }

    /**
     * For {@code show} and {@code record}, which read pf once and store nothing, and for
     * {@code billing} and {@code usage}, which only read the database (as root or the daemon's
     * user): like {@link #load}, but the data directory is not checked.
     */
    public static Config loadForReading(Optional<Path> file, Map<ConfigKey, String> overrides) throws ConfigException {
        ConfigLoader l = new ConfigLoader();
        l.checkDataDir = false;
        if (file.isPresent()) {
            l.readFile(file.get());
        }
        for (Map.Entry<ConfigKey, String> e : overrides.entrySet()) {
            l.settings.put(e.getKey(), new Setting(e.getValue(), e.getKey().option().orElse(e.getKey().key())));
        }
        return l.build();
    }

    /**
     * @param file      the configuration file, if any
     * @param overrides values from the command line, by key; they win over the file
     */
    public static Config load(Optional<Path> file, Map<ConfigKey, String> overrides) throws ConfigException {
        ConfigLoader l = new ConfigLoader();
        if (file.isPresent()) {
            l.readFile(file.get());
        }
        for (Map.Entry<ConfigKey, String> e : overrides.entrySet()) {
            String origin = e.getKey().option().orElse(e.getKey().key());
            l.settings.put(e.getKey(), new Setting(e.getValue(), origin));
        }
        return l.build();
    }

    /** Parses a configuration text (for tests and {@code --check-config}); {@code name} is used in messages. */
    public static Config parse(String name, String text, Map<ConfigKey, String> overrides) throws ConfigException {
        ConfigLoader l = new ConfigLoader();
        l.readText(name, text);
        if (!l.problems.isEmpty()) {
            throw new ConfigException(String.join("\n", l.problems));
        }
        for (Map.Entry<ConfigKey, String> e : overrides.entrySet()) {
            l.settings.put(e.getKey(), new Setting(e.getValue(), e.getKey().option().orElse(e.getKey().key())));
        }
        return l.build();
    }

    private void readFile(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage());
        }
        readText(file.toString(), utf8(file.toString(), bytes));
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
    }

    /**
     * The file's text: UTF-8, a byte order mark at its start accepted and dropped (editors on
     * Windows write one; kept, it would be part of the first key and make it "unknown" although it
     * looks right), any byte that is not UTF-8 refused with its line.
     */
    static String utf8(String name, byte[] bytes) throws ConfigException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, start, bytes.length - start);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(name + ":" + line + ": byte 0x" + String.format("%02x", bytes[at] & 0xff)
                    + " is not UTF-8; save the file as UTF-8 (ASCII is UTF-8)");
        }
        out.flip();
        return out.toString();
    }

    private void readText(String name, String text) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = name + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(where + ": '" + line + "' is not 'key = value'");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Optional<ConfigKey> k = ConfigKey.of(key);
            if (k.isEmpty()) {
                problems.add(where + ": unknown key '" + key + "'" + suggestion(key) + "; known keys: "
                        + Arrays.stream(ConfigKey.values()).map(ConfigKey::key).collect(Collectors.joining(", ")));
                continue;
            }
            Setting previous = settings.put(k.get(), new Setting(value, where));
            if (previous != null) {
                problems.add(where + ": " + key + " is already set at " + previous.origin() + "; set each key once");
            }
        }
    }

    private static String suggestion(String key) {
        ConfigKey best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey k : ConfigKey.values()) {
            int d = distance(key, k.key());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= 3 ? " (did you mean '" + best.key() + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ------------------------------------------------------------------ validation

    private boolean isSet(ConfigKey k) {
        return settings.containsKey(k);
    }

    private String raw(ConfigKey k) {
        Setting s = settings.get(k);
        return s == null ? null : s.value();
    }

    private void problem(ConfigKey k, String what) {
        Setting s = settings.get(k);
        String where = s == null ? k.key() : s.origin() + ": " + k.key() + " = '" + s.value() + "'";
        problems.add(where + ": " + what + "; allowed: " + k.allowed());
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String value);
    }

    private <T> T value(ConfigKey k, T dflt, Parser<T> p) {
        String v = raw(k);
        if (v == null) {
            return dflt;
        }
        try {
            return p.parse(v);
        } catch (RuntimeException e) {
            problem(k, e.getMessage() == null ? "invalid value" : e.getMessage());
            return dflt;
        }
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static long integer(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is out of range");
        }
        return n;
    }

    private static double number(String v, double minExclusive, double maxInclusive) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
        if (!(d > minExclusive && d <= maxInclusive)) {
            throw new IllegalArgumentException(v.trim() + " is out of range");
        }
        return d;
    }

    /** At most this many tables in tables.address-counters (each is one DIOCRGETASTATS per poll). */
    static final int MAX_ADDRESS_TABLES = 64;

    /** "custtbl, customers/acme:acme-nets": NAME or ANCHOR/PATH:NAME, as pf stores them (no leading slash). */
    public static List<org.pfmeter.pf.model.TableKey> tableList(String v) {
        List<org.pfmeter.pf.model.TableKey> out = new java.util.ArrayList<>();
        for (String part : v.split(",", -1)) {
            String t = part.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException(v.isBlank() ? "no table named" : "an empty table name between commas");
            }
            int colon = t.lastIndexOf(':');
            String anchor = colon < 0 ? "" : t.substring(0, colon).replaceFirst("^/+", "");
            String name = t.substring(colon + 1);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + t + "' names no table after the colon");
            }
            if (name.chars().anyMatch(Character::isWhitespace) || name.contains("<") || name.contains(">")) {
                throw new IllegalArgumentException("'" + name + "' is not a table name (write it without <>)");
            }
            if (org.pfmeter.pf.abi.KernelStrings.encode(name).length >= org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE) {
                throw new IllegalArgumentException("table name '" + name + "' is longer than pf's "
                        + (org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE - 1) + " bytes");
            }
            if (org.pfmeter.pf.abi.KernelStrings.encode(anchor).length >= org.pfmeter.pf.abi.PfConstants.PATH_MAX) {
                throw new IllegalArgumentException("anchor path of '" + t + "' is longer than PATH_MAX");
            }
            org.pfmeter.pf.model.TableKey k = new org.pfmeter.pf.model.TableKey(anchor, name);
            if (out.contains(k)) {
                throw new IllegalArgumentException("table '" + k + "' is named twice");
            }
            out.add(k);
        }
        if (out.size() > MAX_ADDRESS_TABLES) {
            throw new IllegalArgumentException(out.size() + " tables, more than " + MAX_ADDRESS_TABLES);
        }
        return List.copyOf(out);
    }

    private static PfRelease release(String v) {
        try {
            return PfRelease.parse(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("release '" + v.trim() + "' is not supported");
        }
    }

    private Config build() throws ConfigException {
        boolean simulate = value(ConfigKey.SIMULATE, false, ConfigLoader::bool);
        Optional<SimulationConfig> sim = Optional.empty();
        if (simulate) {
            long seed = value(ConfigKey.SIMULATE_SEED, 1L, v -> integer(v, Long.MIN_VALUE, Long.MAX_VALUE));
            PfRelease release = value(ConfigKey.SIMULATE_RELEASE, AbiRelease.V8_0, ConfigLoader::release);
            SimScale scale = value(ConfigKey.SIMULATE_SCALE, SimScale.SMALL, v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "small" -> SimScale.SMALL;
                case "large" -> SimScale.LARGE;
                case "huge" -> SimScale.HUGE;
                default -> throw new IllegalArgumentException("unknown scale");
            });
            double speed = value(ConfigKey.SIMULATE_SPEED, 1.0, v -> number(v, 0, 100_000));
            FaultSchedule faults = value(ConfigKey.SIMULATE_FAULTS, FaultSchedule.NONE, ConfigLoader::faults);
            Duration elapsed = value(ConfigKey.SIMULATE_ELAPSED, Duration.ofHours(1), v -> {
                Duration d = Durations.parse(v);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("negative");
                }
                return d;
            });
            boolean pfsync = value(ConfigKey.SIMULATE_PFSYNC, true, ConfigLoader::bool);
            sim = Optional.of(new SimulationConfig(seed, release, scale, speed, faults, elapsed, pfsync));
        } else {
            for (ConfigKey k : List.of(ConfigKey.SIMULATE_SEED, ConfigKey.SIMULATE_RELEASE, ConfigKey.SIMULATE_SCALE,
                    ConfigKey.SIMULATE_SPEED, ConfigKey.SIMULATE_FAULTS, ConfigKey.SIMULATE_ELAPSED, ConfigKey.SIMULATE_PFSYNC)) {
                if (isSet(k)) {
                    problem(k, "only applies to the simulated pf, but simulate is off (add --simulate or simulate = true)");
                }
            }
        }
        Optional<Path> replay = value(ConfigKey.PF_REPLAY, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        replay.ifPresent(p -> readableFile(ConfigKey.PF_REPLAY, p));
        OptionalInt fd = value(ConfigKey.PF_FD, OptionalInt.empty(), v -> OptionalInt.of((int) integer(v, 0, Integer.MAX_VALUE)));
        String device = value(ConfigKey.PF_DEVICE, "/dev/pf", v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException("empty path");
            }
            return v.trim();
        });
        Optional<PfRelease> abi = value(ConfigKey.PF_ABI, Optional.<PfRelease>empty(), v -> Optional.of(release(v)));
        int sources = (simulate ? 1 : 0) + (replay.isPresent() ? 1 : 0) + (fd.isPresent() ? 1 : 0);
        if (sources > 1) {
            problems.add("simulate, pf.replay and pf.fd choose where pf is read from: set at most one of them");
        }
        if (isSet(ConfigKey.PF_DEVICE) && sources > 0) {
            problem(ConfigKey.PF_DEVICE, "has no effect with simulate, pf.replay or pf.fd");
        }

        HostPort listen = value(ConfigKey.LISTEN, new HostPort("", 10190), HostPort::parse);
        Path dataDir = value(ConfigKey.DATA_DIR, Path.of(simulate ? "data" : "/var/db/pfmeter"), v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException("empty path");
            }
            return Path.of(v.trim());
        });
        if (checkDataDir) {
            usableDirectory(ConfigKey.DATA_DIR, dataDir);
        }
        Duration interval = value(ConfigKey.POLL_INTERVAL, Duration.ofSeconds(10), v -> {
            Duration d = Durations.parse(v);
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(v.trim() + " is out of range");
            }
            return d;
        });
        int maxLabels = value(ConfigKey.MAX_LABEL_SERIES, 10_000, v -> (int) integer(v, 0, 1_000_000));
        int maxTables = value(ConfigKey.MAX_TABLE_SERIES, 2_000, v -> (int) integer(v, 0, 1_000_000));
        boolean ruleMetrics = value(ConfigKey.METRICS_RULES, false, ConfigLoader::bool);
        int maxRules = value(ConfigKey.MAX_RULE_SERIES, 10_000, v -> (int) integer(v, 0, 1_000_000));
        long nodesMax = value(ConfigKey.SOURCE_NODES_MAX, 10_000L, v -> integer(v, 0, 10_000_000));
        int nodesTop = value(ConfigKey.SOURCE_NODES_TOP, 10, v -> (int) integer(v, 0, 10_000));
        int limiterTop = value(ConfigKey.LIMITERS_TOP, org.pfmeter.pf.PfReader.DEFAULT_SOURCE_TOP, v -> (int) integer(v, 0, 10_000));
        JmxConfig jmx = jmx();
        AccountingConfig accounting = accounting(dataDir);
        HttpConfig http = http(listen, accounting.credentials().isPresent());
        String logLevel = value(ConfigKey.LOG_LEVEL, "info", v -> {
            String l = v.trim().toLowerCase(Locale.ROOT);
            if (!Set.of("error", "warn", "info", "debug").contains(l)) {
                throw new IllegalArgumentException("unknown level");
            }
            return l;
        });
        PrivilegesConfig privileges = privileges();
        StatesConfig states = states();
        List<org.pfmeter.pf.model.TableKey> addressTables = value(ConfigKey.TABLES_ADDRESS_COUNTERS, List.of(),
                ConfigLoader::tableList);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        return new Config(new PfSourceConfig(sim, replay, fd, device, abi, addressTables, limiterTop), listen, dataDir, interval, maxLabels,
                maxTables, jmx, accounting, logLevel, privileges, http, new RuleMetricsConfig(ruleMetrics, maxRules),
                new org.pfmeter.pf.SourceNodeOptions(nodesMax, nodesTop), states);
    }

    private StatesConfig states() {
        StatesConfig d = StatesConfig.DEFAULTS;
        boolean enabled = value(ConfigKey.STATES_ENABLED, d.enabled(), ConfigLoader::bool);
        Duration interval = value(ConfigKey.STATES_INTERVAL, d.interval(), v -> {
            Duration x = Durations.parse(v);
            if (x.compareTo(Duration.ofSeconds(1)) < 0 || x.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(v.trim() + " is out of range");
            }
            return x;
        });
        long max = value(ConfigKey.STATES_MAX_STATES, d.maxStates(), v -> integer(v, 0, 10_000_000));
        int top = value(ConfigKey.STATES_TOP, d.top(), v -> (int) integer(v, 0, 1_000));
        double share = value(ConfigKey.STATES_LABEL_SHARE_ALERT, d.labelShareAlert(), v -> number(v, 0, 1));
        return new StatesConfig(enabled, interval, max, top, share);
    }

    // ------------------------------------------------------------------ privileges (hardening, issue 8)

    /** POSIX portable user and group names, as useradd(8) and groupadd(8) accept them. */
    private static final java.util.regex.Pattern ACCOUNT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");

    private PrivilegesConfig privileges() {
        Optional<String> user = value(ConfigKey.PRIVILEGES_USER, Optional.<String>empty(), v -> Optional.of(accountName(v)));
        Optional<String> group = value(ConfigKey.PRIVILEGES_GROUP, Optional.<String>empty(), v -> Optional.of(accountName(v)));
        if (user.isPresent()) {
            if (user.get().equals("root")) {
                problem(ConfigKey.PRIVILEGES_USER, "pfmeter switches to this user to give up root, so it cannot be root");
            } else {
                try {
                    new org.pfmeter.pf.os.PrivilegeDrop().user(user.get());
                } catch (org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException e) {
                    problem(ConfigKey.PRIVILEGES_USER, e.getMessage());
                }
            }
        }
        if (group.isPresent()) {
            if (user.isEmpty()) {
                problem(ConfigKey.PRIVILEGES_GROUP, "has no effect without privileges.user");
            } else {
                try {
                    new org.pfmeter.pf.os.PrivilegeDrop().group(group.get());
                } catch (org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException e) {
                    problem(ConfigKey.PRIVILEGES_GROUP, e.getMessage());
                }
            }
        }
        return new PrivilegesConfig(user, group);
    }

    private static String accountName(String v) {
        String n = v.trim();
        if (!ACCOUNT_NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("not a user or group name (letters, digits, '.', '_', '-'; at most 32)");
        }
        return n;
    }

    private static FaultSchedule faults(String v) {
        // A bare fault name means "at the start": --sim-fault eacces.
        String spec = Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.contains("@") ? s : s + "@0s")
                .collect(Collectors.joining(","));
        return FaultSchedule.parse(spec);
    }

    private AccountingConfig accounting(Path dataDir) {
        boolean enabled = value(ConfigKey.ACCOUNTING_ENABLED, true, ConfigLoader::bool);
        String host = value(ConfigKey.ACCOUNTING_HOST, defaultHostName(), v -> {
            String h = v.trim();
            if (h.isEmpty() || h.length() > 255) {
                throw new IllegalArgumentException("must have 1 to 255 characters");
            }
            return h;
        });
        Optional<String> url = value(ConfigKey.ACCOUNTING_JDBC_URL, Optional.<String>empty(), v -> {
            if (!v.trim().startsWith("jdbc:")) {
                throw new IllegalArgumentException("a JDBC URL starts with jdbc:");
            }
            return Optional.of(v.trim());
        });
        String user = value(ConfigKey.ACCOUNTING_JDBC_USER, (String) null, v -> {
            String u = v.trim();
            if (u.isEmpty() || u.length() > 128 || u.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a user name has 1 to 128 characters and no control characters");
            }
            return u;
        });
        Optional<Path> passwordFile = value(ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        if (url.isEmpty() && (user != null || passwordFile.isPresent())) {
            problem(user != null ? ConfigKey.ACCOUNTING_JDBC_USER : ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE,
                    "has no effect without accounting.jdbc-url");
        }
        String password = null;
        if (passwordFile.isPresent() && readableFile(ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, passwordFile.get())
                && ownerOnly(ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, passwordFile.get())) {
            try {
                password = PasswordFile.read(passwordFile.get());
            } catch (java.io.IOException e) {
                problem(ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, "cannot read " + passwordFile.get() + ": " + e.getMessage());
            }
        }
        int backlog = value(ConfigKey.ACCOUNTING_BACKLOG, 1440, v -> (int) integer(v, 1, 1_000_000));
        org.pfmeter.accounting.store.RetentionPolicy retention = org.pfmeter.accounting.store.RetentionPolicy.defaults();
        retention = value(ConfigKey.ACCOUNTING_RETENTION_5M, retention, v -> org.pfmeter.accounting.store.RetentionPolicy.defaults()
                .with(org.pfmeter.accounting.store.UsageLevel.FIVE_MINUTES, v.trim()));
        org.pfmeter.accounting.store.RetentionPolicy levels = retention;
        retention = value(ConfigKey.ACCOUNTING_FIVE_MINUTE_RETENTION, retention,
                v -> levels.withSealedFiveMinuteRows(ConfigKey.ACCOUNTING_FIVE_MINUTE_RETENTION.key(), v));
        // schema v5 dropped the hourly and daily tables: the keys are still accepted, so that a
        // configuration written for an older pfmeter keeps working, and have no effect; a value
        // that was never valid is still refused
        value(ConfigKey.ACCOUNTING_RETENTION_1H, null,
                v -> org.pfmeter.accounting.store.RetentionPolicy.parse(ConfigKey.ACCOUNTING_RETENTION_1H.key(), v));
        value(ConfigKey.ACCOUNTING_RETENTION_1D, null,
                v -> org.pfmeter.accounting.store.RetentionPolicy.parse(ConfigKey.ACCOUNTING_RETENTION_1D.key(), v));
        // each checked on its own, so that a problem is reported against the key that has it
        String day = value(ConfigKey.BILLING_DAY, "1", v -> {
            org.pfmeter.accounting.billing.BillingCycle.of(v.trim(), "UTC");
            return v.trim();
        });
        String zone = value(ConfigKey.BILLING_ZONE, "UTC", v -> {
            org.pfmeter.accounting.billing.BillingCycle.of("1", v.trim());
            return v.trim();
        });
        org.pfmeter.accounting.billing.BillingCycle cycle = org.pfmeter.accounting.billing.BillingCycle.calendarMonthsUtc();
        try {
            cycle = org.pfmeter.accounting.billing.BillingCycle.of(day, zone);
        } catch (IllegalArgumentException e) {
            // already reported against billing.day or billing.zone
        }
        java.time.Duration gapThreshold = value(ConfigKey.BILLING_GAP_THRESHOLD,
                org.pfmeter.accounting.billing.ReportQuery.DEFAULT_GAP_THRESHOLD, AccountingConfig::gapThreshold);
        Optional<Path> customers = value(ConfigKey.BILLING_CUSTOMERS, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        customers.ifPresent(p -> {
            if (readableFile(ConfigKey.BILLING_CUSTOMERS, p)) {
                try {
                    org.pfmeter.accounting.billing.CustomerMapping.load(p);
                } catch (IllegalArgumentException e) {
                    problem(ConfigKey.BILLING_CUSTOMERS, e.getMessage());
                }
            }
        });
        Optional<Path> bills = value(ConfigKey.BILLING_BILLS, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        bills.ifPresent(p -> {
            if (readableFile(ConfigKey.BILLING_BILLS, p)) {
                try {
                    org.pfmeter.accounting.bills.BillsFile.load(p);
                } catch (IllegalArgumentException e) {
                    problem(ConfigKey.BILLING_BILLS, e.getMessage());
                }
            }
        });
        Optional<Path> drop = value(ConfigKey.BILLING_DROP_DIRECTORY, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        drop.ifPresent(p -> {
            usableDirectory(ConfigKey.BILLING_DROP_DIRECTORY, p);
            if (bills.isEmpty()) {
                problem(ConfigKey.BILLING_DROP_DIRECTORY, "there is nothing to drop without bills: set billing.bills too");
            }
        });
        Optional<Path> credentials = value(ConfigKey.HTTP_BILLING_CREDENTIALS, Optional.<Path>empty(), v -> Optional.of(Path.of(v.trim())));
        credentials.ifPresent(p -> {
            if (readableFile(ConfigKey.HTTP_BILLING_CREDENTIALS, p) && notWritableByOthers(ConfigKey.HTTP_BILLING_CREDENTIALS, p)) {
                try {
                    org.pfmeter.exporter.http.Credentials.load(p);
                } catch (java.io.IOException | IllegalArgumentException e) {
                    problem(ConfigKey.HTTP_BILLING_CREDENTIALS, e.getMessage());
                }
            }
        });
        if (credentials.isPresent() && !enabled) {
            problem(ConfigKey.HTTP_BILLING_CREDENTIALS, "the billing endpoint needs accounting: accounting.enabled is false");
        }
        org.pfmeter.accounting.store.StoreConfig store = url.isPresent()
                ? org.pfmeter.accounting.store.StoreConfig.jdbc(url.get(), user, password)
                : org.pfmeter.accounting.store.StoreConfig.h2(dataDir);
        return new AccountingConfig(enabled, host, store, backlog, retention, cycle, customers, credentials, gapThreshold, bills, drop);
    }

    private static String defaultHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private JmxConfig jmx() {
        boolean enabled = value(ConfigKey.JMX_ENABLED, true, ConfigLoader::bool);
        double warning = value(ConfigKey.JMX_STATES_WARNING, 80.0, v -> number(v, 0, 100));
        double critical = value(ConfigKey.JMX_STATES_CRITICAL, 95.0, v -> number(v, 0, 100));
        double hysteresis = value(ConfigKey.JMX_STATES_HYSTERESIS, 5.0, v -> number(v, -Double.MIN_VALUE, 100));
        if (!(warning < critical)) {
            problem(isSet(ConfigKey.JMX_STATES_WARNING) ? ConfigKey.JMX_STATES_WARNING : ConfigKey.JMX_STATES_CRITICAL,
                    "the warning threshold (" + warning + ") must be below the critical one (" + critical + ")");
        }
        if (!(hysteresis < warning)) {
            problem(ConfigKey.JMX_STATES_HYSTERESIS, "must be smaller than the warning threshold " + warning);
        }
        Optional<JmxConfig.Remote> remote = Optional.empty();
        List<ConfigKey> remoteKeys = List.of(ConfigKey.JMX_REMOTE_BIND, ConfigKey.JMX_REMOTE_PASSWORD_FILE,
                ConfigKey.JMX_REMOTE_ACCESS_FILE, ConfigKey.JMX_REMOTE_TLS_KEYSTORE,
                ConfigKey.JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE);
        if (isSet(ConfigKey.JMX_REMOTE_PORT)) {
            int port = value(ConfigKey.JMX_REMOTE_PORT, 0, v -> (int) integer(v, 0, 65535));
            String bind = value(ConfigKey.JMX_REMOTE_BIND, "127.0.0.1", v -> {
                if (v.isBlank()) {
                    throw new IllegalArgumentException("empty address");
                }
                String a = v.trim().replaceAll("^\\[|\\]$", "");
                localAddress(a);
                return a;
            });
            if (!enabled) {
                problem(ConfigKey.JMX_REMOTE_PORT, "remote JMX needs the MBeans: jmx.enabled is false");
            }
            Path password = null;
            if (!isSet(ConfigKey.JMX_REMOTE_PASSWORD_FILE)) {
                problem(ConfigKey.JMX_REMOTE_PASSWORD_FILE,
                        "remote JMX is on (jmx.remote.port) and requires a password file; none is set");
            } else {
                password = Path.of(raw(ConfigKey.JMX_REMOTE_PASSWORD_FILE).trim());
                if (readableFile(ConfigKey.JMX_REMOTE_PASSWORD_FILE, password)) {
                    ownerOnly(ConfigKey.JMX_REMOTE_PASSWORD_FILE, password);
                }
            }
            Optional<Path> access = Optional.ofNullable(raw(ConfigKey.JMX_REMOTE_ACCESS_FILE)).map(v -> Path.of(v.trim()));
            access.ifPresent(p -> {
                if (readableFile(ConfigKey.JMX_REMOTE_ACCESS_FILE, p)) {
                    notWritableByOthers(ConfigKey.JMX_REMOTE_ACCESS_FILE, p);
                }
            });
            String ksType = Optional.ofNullable(raw(ConfigKey.JMX_REMOTE_TLS_KEYSTORE))
                    .filter(v -> v.trim().toLowerCase(Locale.ROOT).endsWith(".jks")).isPresent() ? "JKS" : "PKCS12";
            Optional<JmxConfig.Tls> tls = keyStore(ConfigKey.JMX_REMOTE_TLS_KEYSTORE, ConfigKey.JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE,
                    "TLS", ksType).map(f -> new JmxConfig.Tls(f.keystore(), f.password()));
            if (password != null) {
                remote = Optional.of(new JmxConfig.Remote(new HostPort(bind, port), password, access, tls));
            }
        } else {
            for (ConfigKey k : remoteKeys) {
                if (isSet(k)) {
                    problem(k, "has no effect: remote JMX is off (set jmx.remote.port to turn it on)");
                }
            }
        }
        return new JmxConfig(enabled, warning, critical, hysteresis, remote);
    }

    /**
     * HTTPS, and whether billing passwords may cross plain HTTP. They may not on an address other
     * than loopback unless the operator says so explicitly: basic authentication sends the password
     * itself with every request.
     */
    private HttpConfig http(HostPort listen, boolean billing) {
        boolean allowPlain = value(ConfigKey.HTTP_BILLING_ALLOW_PLAIN, false, ConfigLoader::bool);
        Optional<HttpConfig.Tls> tls = keyStore(ConfigKey.HTTP_TLS_KEYSTORE, ConfigKey.HTTP_TLS_KEYSTORE_PASSWORD_FILE,
                "HTTPS", "PKCS12").map(f -> new HttpConfig.Tls(f.keystore(), f.password()));
        if (isSet(ConfigKey.HTTP_BILLING_ALLOW_PLAIN) && !billing) {
            problem(ConfigKey.HTTP_BILLING_ALLOW_PLAIN, "has no effect without http.billing-credentials");
        } else if (billing && tls.isEmpty() && !allowPlain && !isSet(ConfigKey.HTTP_TLS_KEYSTORE) && !loopback(listen)) {
            problem(ConfigKey.HTTP_BILLING_CREDENTIALS, "billing passwords would cross plain HTTP on " + listen
                    + ", which is not a loopback address: turn HTTPS on (http.tls.keystore), listen on 127.0.0.1 behind"
                    + " a TLS proxy, or, only behind a TLS proxy on a trusted network, set http.billing-allow-plain-http = true");
        }
        return new HttpConfig(tls, allowPlain);
    }

    /** A key store and the file holding its password, both checked. */
    private record KeyStoreFiles(Path keystore, Path password) {
    }

    /**
     * The key store of {@code ksKey} with the password file of {@code pwKey}, when the key store is
     * set: both readable, the password file owner-only, and the store opens with that password.
     *
     * @param feature what the key store turns on, for the message ("TLS", "HTTPS")
     */
    private Optional<KeyStoreFiles> keyStore(ConfigKey ksKey, ConfigKey pwKey, String feature, String type) {
        if (!isSet(ksKey)) {
            if (isSet(pwKey)) {
                problem(pwKey, "has no effect without " + ksKey.key());
            }
            return Optional.empty();
        }
        Path ks = Path.of(raw(ksKey).trim());
        boolean ksReadable = readableFile(ksKey, ks);
        if (!isSet(pwKey)) {
            problem(pwKey, feature + " is on (" + ksKey.key() + ") and needs the key store's password file");
            return Optional.empty();
        }
        Path pw = Path.of(raw(pwKey).trim());
        if (readableFile(pwKey, pw)) {
            ownerOnly(pwKey, pw);
            if (ksReadable) {
                keyStoreOpens(ksKey, ks, type, pwKey, pw);
            }
        }
        return Optional.of(new KeyStoreFiles(ks, pw));
    }

    private static boolean loopback(HostPort listen) {
        if (listen.anyAddress()) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(listen.host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Throws unless {@code host} names an address of this host (or every address). */
    private static void localAddress(String host) {
        java.net.InetAddress a;
        try {
            a = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' cannot be resolved");
        }
        try {
            if (!a.isAnyLocalAddress() && !a.isLoopbackAddress() && java.net.NetworkInterface.getByInetAddress(a) == null) {
                throw new IllegalArgumentException(a.getHostAddress() + " is not an address of this host");
            }
        } catch (java.net.SocketException e) {
            // cannot list the interfaces: the bind at start will tell
        }
    }

    /**
     * Opens the key store with its password now, so that a wrong password or a file that is not a
     * key store is a configuration error rather than a failure at start. The messages never
     * include the password.
     */
    private void keyStoreOpens(ConfigKey k, Path ks, String type, ConfigKey passwordKey, Path passwordFile) {
        char[] password;
        try {
            password = PasswordFile.readChars(passwordFile);
        } catch (IOException e) {
            problem(passwordKey, "cannot read " + passwordFile + " (" + e.getClass().getSimpleName() + ")");
            return;
        }
        try (java.io.InputStream in = Files.newInputStream(ks)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance(type);
            store.load(in, password);
            boolean key = false;
            for (String alias : java.util.Collections.list(store.aliases())) {
                key |= store.isKeyEntry(alias);
            }
            if (!key) {
                problem(k, ks + " holds no private key (make one with keytool -genkeypair,"
                        + " see exporter/README.md, \"HTTPS\")");
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password was incorrect")) {
                problem(passwordKey, "the first line of " + passwordFile + " is not the password of " + ks);
            } else {
                problem(k, ks + " is not a " + type + " key store (" + e.getClass().getSimpleName() + ")");
            }
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private boolean readableFile(ConfigKey k, Path p) {
        if (!Files.isRegularFile(p)) {
            problem(k, p + " does not exist or is not a regular file");
            return false;
        }
        if (!Files.isReadable(p)) {
            problem(k, p + " is not readable by this user");
            return false;
        }
        return true;
    }

    /** As the JDK's own JMX agent insists: a password file others can read is refused. */
    private boolean ownerOnly(ConfigKey k, Path p) {
        Optional<String> why = PasswordFile.othersMayAccess(p);
        why.ifPresent(w -> problem(k, w));
        return why.isEmpty();
    }

    /**
     * A file that says who may do what (billing users, remote JMX roles) must not be writable by
     * anyone but its owner: whoever can write it can let themselves in. Others may read it (it holds
     * no password: the credentials file holds PBKDF2 hashes). Refused like {@link #ownerOnly}.
     */
    private boolean notWritableByOthers(ConfigKey k, Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                problem(k, p + " may be written by others than its owner, who could give themselves access;"
                        + " restrict it (chmod go-w " + p + ")");
                return false;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        return true;
    }

    private void usableDirectory(ConfigKey k, Path dir) {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                problem(k, dir + " exists and is not a directory");
            } else if (!Files.isWritable(dir)) {
                problem(k, dir + " is not writable by this user");
            }
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            problem(k, dir + " does not exist and cannot be created"
                    + (parent == null ? "" : " (" + parent + " is not a writable directory)"));
        }
    }
}
