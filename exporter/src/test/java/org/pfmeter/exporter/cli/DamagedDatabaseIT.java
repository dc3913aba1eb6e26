package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.PfmeterJar;

/**
 * A damaged database never makes a silent wrong bill (issue 19, point 2): one flipped byte in a
 * sealed day of a real {@code pfmeter.mv.db}, written by {@code pfmeter simulate}, made one label's
 * monthly bill far too high with exit 0. Now {@code billing} bills that day from its 5-minute rows
 * and warns, {@code verify} finds it (exit 1) and {@code verify --repair} rewrites it (exit 0); once
 * retention has deleted the day's 5-minute rows, the sealed day is the only copy and billing refuses
 * it, naming host, anchor, label and day (exit 1). Each command is the shaded jar in a JVM of its own.
 */
class DamagedDatabaseIT {

    private static final String MONTH = "2026-10";

    @TempDir
    Path dir;

    private PfmeterJar.Run pfmeter(String... args) throws IOException, InterruptedException {
        return PfmeterJar.run(dir, args);
    }

    /** The sealed day with the most bytes in, and where its bytes-in values lie in its packed row. */
    private record Target(int seriesId, Instant day, String host, String anchor, String label, byte[] slots, int from, int to) {
        String dayName() {
            return day.toString().substring(0, 10);
        }
    }

    private static Target biggest(Path data) {
        try (AccountingStore s = AccountingStore.openForReading(StoreConfig.h2(data))) {
            return s.query("pick a sealed day", c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT d.series_id, d.day_start, s.host, s.anchor, s.label,"
                        + " d.slots FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id WHERE s.kind = 'label'"
                        + " ORDER BY d.bytes_in DESC, d.series_id")) {
                    assertThat(rs.next()).as("a sealed day").isTrue();
                    byte[] b = rs.getBytes(6);
                    // narrow layout (DaySlots): format, 36 bytes of bitmap, 2 of widths, then the columns
                    int n = 0;
                    for (int k = 1; k <= 36; k++) {
                        n += Integer.bitCount(b[k] & 0xff);
                    }
                    int packets = n * (((b[37] & 0xff) >>> 4) + (b[37] & 0xf));
                    int from = 39 + packets;
                    return new Target(rs.getInt(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), b, from, from + n * ((b[38] & 0xff) >>> 4));
                }
            });
        }
    }

    /**
     * Flips the high bit of one byte of {@code t}'s bytes-in values where the file holds them: H2
     * compresses its pages (LZF), which keeps such values as literal runs, so a run of 8 bytes of
     * them is found as it is. Every copy the file holds is flipped (older chunks may hold one too).
     *
     * @return how many bytes were flipped
     */
    private static int flipInFile(Path file, Target t) throws IOException {
        byte[] f = Files.readAllBytes(file);
        for (int start = t.from(); start + 8 <= t.to(); start++) {
            byte[] window = Arrays.copyOfRange(t.slots(), start, start + 8);
            int flipped = 0;
            for (int i = indexOf(f, window, 0); i >= 0; i = indexOf(f, window, i + 1)) {
                f[i + 7] ^= (byte) 0x80;
                flipped++;
            }
            if (flipped > 0) {
                Files.write(file, f);
                return flipped;
            }
        }
        return 0;
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        outer:
        for (int i = from; i <= in.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aFlippedByteInASealedDayIsBilledFromItsSourceOrRefusedNeverBilledSilently() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve("pfmeter.mv.db");
        PfmeterJar.Run sim = pfmeter("simulate", "--days", "3", "--poll-interval", "10m", "--data-dir", data.toString());
        assertThat(sim.code()).as(sim.err()).isZero();
        PfmeterJar.Run clean = pfmeter("billing", "--data-dir", data.toString(), "--month", MONTH);
        assertThat(clean.code()).as(clean.err()).isZero();

        Target t = biggest(data);
        String row = "usage_5m_day " + t.host() + " " + (t.anchor().isEmpty() ? "" : t.anchor() + ":") + t.label() + " " + t.dayName();
        assertThat(flipInFile(file, t)).as("the row's bytes in the H2 file").isPositive();

        // the 5-minute rows are there: the same bill, and a warning naming the row (before checksums:
        // exit 0 with the label's bytes in off by 2^(8k+7) for the flipped byte k of one value)
        PfmeterJar.Run fallback = pfmeter("billing", "--data-dir", data.toString(), "--month", MONTH);
        assertThat(fallback.code()).as(fallback.err()).isZero();
        assertThat(fallback.out()).isEqualTo(clean.out());
        assertThat(fallback.err()).contains("pfmeter: warning: " + row + ": checksum mismatch")
                .contains("5-minute rows instead").contains("pfmeter verify --repair");

        PfmeterJar.Run found = pfmeter("verify", "--data-dir", data.toString());
        assertThat(found.code()).as(found.out() + found.err()).isEqualTo(1);
        assertThat(found.out()).contains(row + ": damaged: checksum mismatch").contains("1 damaged");

        PfmeterJar.Run repaired = pfmeter("verify", "--repair", "--data-dir", data.toString());
        assertThat(repaired.code()).as(repaired.out() + repaired.err()).isZero();
        assertThat(repaired.out()).contains(row + ": repaired: was damaged, rewritten from its 5-minute rows").contains("clean now");
        PfmeterJar.Run verified = pfmeter("verify", "--data-dir", data.toString());
        assertThat(verified.code()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains(" sealed days (0 written before checksums").endsWith(": clean\n");
        PfmeterJar.Run afterRepair = pfmeter("billing", "--data-dir", data.toString(), "--month", MONTH);
        assertThat(afterRepair.out()).isEqualTo(clean.out());
        assertThat(afterRepair.err()).isEqualTo(clean.err());

        // retention deleted the day's 5-minute rows: the sealed day is the only copy, and it is damaged
        try (AccountingStore s = AccountingStore.open(StoreConfig.h2(data))) {
            s.inTransaction("delete the day's 5-minute rows", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m WHERE bucket_start >= ? AND bucket_start < ?")) {
                    ps.setObject(1, t.day().atOffset(ZoneOffset.UTC));
                    ps.setObject(2, t.day().plusSeconds(86_400).atOffset(ZoneOffset.UTC));
                    return ps.executeUpdate();
                }
            });
        }
        assertThat(flipInFile(file, biggest(data))).isPositive();
        PfmeterJar.Run refused = pfmeter("billing", "--data-dir", data.toString(), "--month", MONTH);
        assertThat(refused.code()).as(refused.err()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("pfmeter billing: " + row + ": checksum mismatch")
                .contains("host " + t.host() + ", anchor \"" + t.anchor() + "\", label \"" + t.label() + "\", day " + t.dayName())
                .contains("refusing to bill").contains("pfmeter verify");
        PfmeterJar.Run lost = pfmeter("verify", "--repair", "--data-dir", data.toString());
        assertThat(lost.code()).as(lost.out() + lost.err()).isEqualTo(1);
        assertThat(lost.out()).contains(row + ": unrecoverable: ").contains("restore the database from a backup");
    }
}
