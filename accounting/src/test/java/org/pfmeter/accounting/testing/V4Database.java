package org.pfmeter.accounting.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.Flyway;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * A database at schema v4 as pfmeter f3717c1 left it after {@code pfmeter simulate --days 35}: the
 * test resource {@code v4-35-days/} (how it was made: its README.md). {@link #create} builds the
 * schema with Flyway up to V4 only and loads every dumped table with JDBC batch inserts, the same
 * way on H2 and PostgreSQL; {@code AccountingStore.open} then migrates it like an upgraded daemon.
 */
public final class V4Database {

    /** The resource folder. */
    public static final String FIXTURE = "/v4-35-days/";
    /** The dumped tables, parents first; usage_1h is not in the fixture (see its README). */
    public static final List<String> TABLES = List.of("pf_host", "label_counters", "usage_5m", "usage_1d",
            "usage_5m_day", "ledger_event", "host_poll_slot");
    /** The one host of the simulation. */
    public static final String HOST = "sim";

    /** H2's CSVWRITE of a TIMESTAMP WITH TIME ZONE: {@code 2026-10-01 00:55:00+00}. */
    private static final DateTimeFormatter H2_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:mm", "+00").toFormatter(Locale.ROOT);
    private static final int BATCH = 1_000;

    private V4Database() {
    }

    /** One dumped table: its column names (lower case) and its rows as H2 wrote them (null for SQL NULL). */
    public record Table(String name, List<String> columns, List<String[]> rows) {
        public int column(String c) {
            int i = columns.indexOf(c);
            assertThat(i).as(name + "." + c).isNotNegative();
            return i;
        }
    }

    /** Creates schema v4 in the empty database {@code config} and loads the dump into it. */
    public static void create(StoreConfig config) throws SQLException {
        Flyway.configure(AccountingStore.class.getClassLoader())
                .dataSource(config.url(), config.user(), config.password())
                .locations(AccountingStore.MIGRATIONS)
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password())) {
            c.setAutoCommit(false);
            for (String t : TABLES) {
                load(c, table(t));
            }
            c.commit();
        }
    }

    /** A dumped table, read from {@code dump/<name>.csv.gz}. */
    public static Table table(String name) {
        List<String[]> rows = parseCsv(text("dump/" + name + ".csv.gz"));
        List<String> columns = new ArrayList<>();
        for (String h : rows.remove(0)) {
            columns.add(h.toLowerCase(Locale.ROOT));
        }
        return new Table(name, List.copyOf(columns), rows);
    }

    /** A resource of the fixture as text; {@code .gz} ones unpacked. */
    public static String text(String path) {
        try (InputStream raw = V4Database.class.getResourceAsStream(FIXTURE + path)) {
            assertThat(raw).as("test resource " + FIXTURE + path).isNotNull();
            InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static OffsetDateTime timestamp(String h2Text) {
        return OffsetDateTime.parse(h2Text, H2_TIMESTAMP);
    }

    private static void load(Connection c, Table t) throws SQLException {
        String cols = String.join(", ", t.columns());
        int[] types = new int[t.columns().size()];
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + cols + " FROM " + t.name() + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 0; i < types.length; i++) {
                types[i] = md.getColumnType(i + 1);
            }
        }
        String sql = "INSERT INTO " + t.name() + " (" + cols + ") VALUES (" + "?, ".repeat(types.length - 1) + "?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int pending = 0;
            for (String[] row : t.rows()) {
                assertThat(row).as(t.name() + " row").hasSize(types.length);
                for (int i = 0; i < types.length; i++) {
                    bind(ps, i + 1, types[i], row[i]);
                }
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, int i, int type, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
            return;
        }
        switch (type) {
            // PostgreSQL's driver reports timestamptz as TIMESTAMP
            case Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP -> ps.setObject(i, timestamp(v));
            case Types.NUMERIC, Types.DECIMAL -> ps.setBigDecimal(i, new BigDecimal(v));
            case Types.BIGINT -> ps.setLong(i, Long.parseLong(v));
            case Types.INTEGER, Types.SMALLINT -> ps.setInt(i, Integer.parseInt(v));
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> ps.setBytes(i, HexFormat.of().parseHex(v));
            default -> ps.setString(i, v);
        }
    }

    /**
     * Parses H2's CSVWRITE output: fields separated by commas, each in double quotes with quotes
     * doubled inside; an empty unquoted field is SQL NULL; rows end with a line feed.
     */
    static List<String[]> parseCsv(String text) {
        List<String[]> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (ch == ',' || ch == '\n') {
                row.add(wasQuoted || field.length() > 0 ? field.toString() : null);
                field.setLength(0);
                wasQuoted = false;
                if (ch == '\n') {
                    rows.add(row.toArray(String[]::new));
                    row.clear();
                }
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (!row.isEmpty() || field.length() > 0 || wasQuoted) {
            row.add(wasQuoted || field.length() > 0 ? field.toString() : null);
            rows.add(row.toArray(String[]::new));
        }
        return rows;
    }
}
