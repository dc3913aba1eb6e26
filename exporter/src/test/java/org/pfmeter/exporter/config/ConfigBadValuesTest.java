package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Credentials;

/**
 * Every configuration key with a value it must refuse: the message names the file and line, the
 * key, the value as written and what the key allows. A key added to {@link ConfigKey} without a row
 * here fails {@link #everyKeyHasABadValueInTheTable()}.
 */
class ConfigBadValuesTest {

    @TempDir
    Path tmp;

    /** Lines that must come first for the key to be looked at, the bad value, and a part of the reason. */
    record Bad(String before, String value, String reason) {
    }

    Path notAFile;
    Path plainFile;
    Path password;
    Path wrongPassword;
    Path emptyKeyStore;

    @BeforeEach
    void files() throws Exception {
        notAFile = tmp.resolve("nonexistent").resolve("file");
        plainFile = Files.writeString(tmp.resolve("plain.txt"), "not a key store\n");
        password = secret("pw", "monitor s3cret\n");
        wrongPassword = secret("wrong.pw", "not-the-password\n");
        emptyKeyStore = tmp.resolve("empty.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (OutputStream out = Files.newOutputStream(emptyKeyStore)) {
            ks.store(out, "right".toCharArray());
        }
    }

    Path secret(String name, String content) throws Exception {
        Path p = Files.writeString(tmp.resolve(name), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    Map<ConfigKey, Bad> table() {
        String sim = "simulate = true\n";
        String jmx = "jmx.remote.port = 0\njmx.remote.password-file = " + password + "\n";
        String jdbc = "accounting.jdbc-url = jdbc:h2:mem:bad\n";
        Map<ConfigKey, Bad> t = new EnumMap<>(ConfigKey.class);
        t.put(ConfigKey.LISTEN, new Bad("", "localhost", "is not HOST:PORT"));
        t.put(ConfigKey.DATA_DIR, new Bad("", plainFile.toString(), "is not a directory"));
        t.put(ConfigKey.POLL_INTERVAL, new Bad("", "0s", "is out of range"));
        t.put(ConfigKey.PF_DEVICE, new Bad("", "", "empty path"));
        t.put(ConfigKey.PF_FD, new Bad("", "-1", "is out of range"));
        t.put(ConfigKey.PF_ABI, new Bad("", "6.9", "is not supported"));
        t.put(ConfigKey.PF_REPLAY, new Bad("", notAFile.toString(), "does not exist"));
        t.put(ConfigKey.SIMULATE, new Bad("", "maybe", "not a boolean"));
        t.put(ConfigKey.SIMULATE_SEED, new Bad(sim, "0x10", "not an integer"));
        t.put(ConfigKey.SIMULATE_RELEASE, new Bad(sim, "9.9", "is not supported"));
        t.put(ConfigKey.SIMULATE_SCALE, new Bad(sim, "gigantic", "unknown scale"));
        t.put(ConfigKey.SIMULATE_SPEED, new Bad(sim, "0", "is out of range"));
        t.put(ConfigKey.SIMULATE_FAULTS, new Bad(sim, "meteor@1h", "unknown simulator fault 'meteor'"));
        t.put(ConfigKey.SIMULATE_ELAPSED, new Bad(sim, "-1h", "is not a duration"));
        t.put(ConfigKey.SIMULATE_PFSYNC, new Bad(sim, "carp", "not a boolean"));
        t.put(ConfigKey.TABLES_ADDRESS_COUNTERS, new Bad("", "custtbl, <other>", "is not a table name"));
        t.put(ConfigKey.MAX_LABEL_SERIES, new Bad("", "1000001", "is out of range"));
        t.put(ConfigKey.MAX_TABLE_SERIES, new Bad("", "many", "not an integer"));
        t.put(ConfigKey.METRICS_RULES, new Bad("", "sometimes", "not a boolean"));
        t.put(ConfigKey.MAX_RULE_SERIES, new Bad("", "-1", "is out of range"));
        t.put(ConfigKey.SOURCE_NODES_MAX, new Bad("", "10000001", "is out of range"));
        t.put(ConfigKey.SOURCE_NODES_TOP, new Bad("", "ten", "not an integer"));
        t.put(ConfigKey.LIMITERS_TOP, new Bad("", "10001", "is out of range"));
        t.put(ConfigKey.STATES_ENABLED, new Bad("", "sometimes", "not a boolean"));
        t.put(ConfigKey.STATES_INTERVAL, new Bad("", "2h", "is out of range"));
        t.put(ConfigKey.STATES_MAX_STATES, new Bad("", "10000001", "is out of range"));
        t.put(ConfigKey.STATES_TOP, new Bad("", "-1", "is out of range"));
        t.put(ConfigKey.STATES_LABEL_SHARE_ALERT, new Bad("", "50", "is out of range"));
        t.put(ConfigKey.JMX_ENABLED, new Bad("", "maybe", "not a boolean"));
        t.put(ConfigKey.JMX_STATES_WARNING, new Bad("", "0", "is out of range"));
        t.put(ConfigKey.JMX_STATES_CRITICAL, new Bad("", "101", "is out of range"));
        t.put(ConfigKey.JMX_STATES_HYSTERESIS, new Bad("", "-1", "is out of range"));
        t.put(ConfigKey.JMX_REMOTE_PORT, new Bad("jmx.remote.password-file = " + password + "\n", "65536", "is out of range"));
        t.put(ConfigKey.JMX_REMOTE_BIND, new Bad(jmx, "192.0.2.1", "is not an address of this host"));
        t.put(ConfigKey.JMX_REMOTE_PASSWORD_FILE, new Bad("jmx.remote.port = 0\n", notAFile.toString(), "does not exist"));
        t.put(ConfigKey.JMX_REMOTE_ACCESS_FILE, new Bad(jmx, notAFile.toString(), "does not exist"));
        t.put(ConfigKey.JMX_REMOTE_TLS_KEYSTORE, new Bad(jmx + "jmx.remote.tls.keystore-password-file = " + password + "\n",
                plainFile.toString(), "is not a PKCS12 key store"));
        t.put(ConfigKey.JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE, new Bad(jmx + "jmx.remote.tls.keystore = " + emptyKeyStore + "\n",
                wrongPassword.toString(), "is not the password of"));
        t.put(ConfigKey.ACCOUNTING_ENABLED, new Bad("", "maybe", "not a boolean"));
        t.put(ConfigKey.ACCOUNTING_HOST, new Bad("", "h".repeat(256), "1 to 255 characters"));
        t.put(ConfigKey.ACCOUNTING_JDBC_URL, new Bad("", "postgres://db/pfmeter", "starts with jdbc:"));
        t.put(ConfigKey.ACCOUNTING_JDBC_USER, new Bad(jdbc, "u".repeat(129), "1 to 128 characters"));
        t.put(ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, new Bad(jdbc, notAFile.toString(), "does not exist"));
        t.put(ConfigKey.ACCOUNTING_BACKLOG, new Bad("", "0", "is out of range"));
        t.put(ConfigKey.ACCOUNTING_RETENTION_5M, new Bad("", "soon", "is not a retention"));
        t.put(ConfigKey.ACCOUNTING_FIVE_MINUTE_RETENTION, new Bad("", "a week", "is not a retention"));
        t.put(ConfigKey.ACCOUNTING_RETENTION_1H, new Bad("", "a while", "is not a retention"));
        t.put(ConfigKey.ACCOUNTING_RETENTION_1D, new Bad("", "-5d", "is not a retention"));
        t.put(ConfigKey.BILLING_DAY, new Bad("billing.zone = Europe/Berlin\n", "29", "1 to 28"));
        t.put(ConfigKey.BILLING_ZONE, new Bad("billing.day = 15\n", "Mars/Olympus", "is not a time zone"));
        t.put(ConfigKey.BILLING_GAP_THRESHOLD, new Bad("", "32d", "0s to 31d"));
        t.put(ConfigKey.BILLING_DROP_DIRECTORY, new Bad("", plainFile.toString(), "is not a directory"));
        t.put(ConfigKey.BILLING_BILLS, new Bad("", notAFile.toString(), "does not exist"));
        t.put(ConfigKey.BILLING_CUSTOMERS, new Bad("", notAFile.toString(), "does not exist"));
        t.put(ConfigKey.HTTP_BILLING_CREDENTIALS, new Bad("", notAFile.toString(), "does not exist"));
        t.put(ConfigKey.HTTP_BILLING_ALLOW_PLAIN, new Bad("", "maybe", "not a boolean"));
        t.put(ConfigKey.HTTP_TLS_KEYSTORE, new Bad("http.tls.keystore-password-file = " + password + "\n",
                plainFile.toString(), "is not a PKCS12 key store"));
        t.put(ConfigKey.HTTP_TLS_KEYSTORE_PASSWORD_FILE, new Bad("http.tls.keystore = " + emptyKeyStore + "\n",
                wrongPassword.toString(), "is not the password of"));
        t.put(ConfigKey.LOG_LEVEL, new Bad("", "verbose", "unknown level"));
        t.put(ConfigKey.PRIVILEGES_USER, new Bad("", "no such user!", "not a user or group name"));
        t.put(ConfigKey.PRIVILEGES_GROUP, new Bad("privileges.user = nobody\n", "-x;y", "not a user or group name"));
        return t;
    }

    @Test
    void everyKeyHasABadValueInTheTable() {
        List<ConfigKey> missing = new ArrayList<>(List.of(ConfigKey.values()));
        missing.removeAll(table().keySet());
        assertThat(missing).as("keys without a bad value in ConfigBadValuesTest.table(): add one").isEmpty();
    }

    @Test
    void everyBadValueIsRefusedNamingTheKeyTheValueAndWhatIsAllowed() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<ConfigKey, Bad> e : table().entrySet()) {
            ConfigKey k = e.getKey();
            Bad b = e.getValue();
            String text = b.before() + k.key() + " = " + b.value() + "\n";
            int line = (int) b.before().lines().count() + 1;
            Map<ConfigKey, String> overrides = k == ConfigKey.DATA_DIR ? Map.of() : Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
            try {
                ConfigLoader.parse("pfmeter.conf", text, overrides);
                wrong.add(k.key() + " = '" + b.value() + "' was accepted");
            } catch (ConfigException ex) {
                String m = ex.getMessage();
                String expected = "pfmeter.conf:" + line + ": " + k.key() + " = '" + b.value() + "': ";
                String mine = m.lines().filter(l -> l.startsWith(expected)).findFirst().orElse(null);
                if (mine == null) {
                    wrong.add(k.key() + ": no line starting with \"" + expected + "\" in:\n" + m);
                } else if (!mine.contains(b.reason()) || !mine.endsWith("; allowed: " + k.allowed())) {
                    wrong.add(k.key() + ": expected the reason \"" + b.reason() + "\" and \"; allowed: " + k.allowed() + "\" in: " + mine);
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
    }

    @Test
    void billingPasswordsDoNotCrossPlainHttpOnAnAddressOtherThanLoopback() throws Exception {
        Path users = Files.writeString(tmp.resolve("users"), Credentials.line("alice", "x".toCharArray()) + "\n");
        String billing = "http.billing-credentials = " + users + "\n";
        Map<ConfigKey, String> data = Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", billing, data))
                .hasMessageContaining("http.billing-credentials")
                .hasMessageContaining("billing passwords would cross plain HTTP on :10190, which is not a loopback address")
                .hasMessageContaining("http.tls.keystore").hasMessageContaining("http.billing-allow-plain-http = true");
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", billing + "listen = 0.0.0.0:10190\n", data))
                .hasMessageContaining("not a loopback address");
        assertThat(ConfigLoader.parse("pfmeter.conf", billing + "listen = 127.0.0.1:10190\n", data).http().allowPlainBilling()).isFalse();
        assertThat(ConfigLoader.parse("pfmeter.conf", billing + "listen = [::1]:10190\n", data).http().tls()).isEmpty();
        assertThat(ConfigLoader.parse("pfmeter.conf", billing + "http.billing-allow-plain-http = true\n", data).http().allowPlainBilling()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", "http.billing-allow-plain-http = true\n", data))
                .hasMessageContaining("has no effect without http.billing-credentials");
    }

    @Test
    void httpsKeysComeTogetherAndTheKeyStoreMustHoldAKey() throws Exception {
        Map<ConfigKey, String> data = Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", "http.tls.keystore = " + emptyKeyStore + "\n", data))
                .hasMessageContaining("http.tls.keystore-password-file").hasMessageContaining("needs the key store's password file");
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", "http.tls.keystore-password-file = " + password + "\n", data))
                .hasMessageContaining("has no effect without http.tls.keystore");
        Path right = secret("right.pw", "right\n");
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", "http.tls.keystore = " + emptyKeyStore
                + "\nhttp.tls.keystore-password-file = " + right + "\n", data))
                .hasMessageContaining("holds no private key").hasMessageNotContaining("right\n");
        Path open = Files.writeString(tmp.resolve("open.pw"), "right\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ConfigLoader.parse("pfmeter.conf", "http.tls.keystore = " + emptyKeyStore
                + "\nhttp.tls.keystore-password-file = " + open + "\n", data))
                .hasMessageContaining("may be read or written by others");
    }
}
