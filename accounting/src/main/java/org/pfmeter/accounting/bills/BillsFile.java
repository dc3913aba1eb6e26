package org.pfmeter.accounting.bills;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pfmeter.accounting.billing.BillingCycle;

/**
 * The bills file ({@code billing.bills}, {@code --bills}): the bills, in order. Immutable.
 *
 * <h2>Format</h2>
 * Lines of {@code key = value}; blank lines and lines starting with {@code #} are ignored. A line
 * {@code [bill NAME]} starts a bill; the keys after it, up to the next such line, define it:
 * <pre>
 * [bill acme]
 * customer  = ACME Corp, contract 1001      # optional: the reference printed on the bill
 * type      = 95th                          # 95th | quota | volume
 * commit    = 2M                            # 95th: committed rate in bit/s (k, M, G, T: powers of 1000)
 * direction = max                           # 95th: in | out | max | aggregate; quota: in | out | total
 * day       = 15                            # billing day 1 to 28 (default 1)
 * zone      = Europe/Berlin                 # time zone of the periods (default UTC)
 * action    = pass                          # tables, addresses: pass | block | match | xpass, a list, or all (default pass)
 * anchor    = customers/acme                # members, any number and mix, each repeatable:
 * label     = glob:acme-*                   #   label = SELECTOR, anchor = PATH or glob,
 * table     = customers/acme:acme-nets      #   table = SELECTOR,
 * address   = customers/acme:acme-nets *    #   address = TABLE-SELECTOR ENTRY|*
 *
 * [bill globex]
 * type      = quota
 * quota     = 500G                          # quota: bytes (k M G T: 1000; Ki Mi Gi Ti: 1024)
 * direction = total
 * anchor    = customers/globex*
 * </pre>
 * (A {@code #} after a value is a comment only when a space precedes it.) Every problem is reported
 * with {@code file:line}, all of them at once, as the configuration loader does.
 */
public final class BillsFile {

    private static final Pattern HEADER = Pattern.compile("\\[\\s*bill\\s+([^\\]\\s][^\\]]*?)\\s*]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}");
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKMGT]i?)?");
    private static final List<String> KEYS = List.of("customer", "type", "commit", "quota", "direction", "day", "zone",
            "action", "label", "anchor", "table", "address");

    private final List<Bill> bills;
    private final String source;

    private BillsFile(List<Bill> bills, String source) {
        this.bills = List.copyOf(bills);
        this.source = source;
    }

    public static BillsFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the bills file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** No bills. */
    public static BillsFile empty() {
        return new BillsFile(List.of(), "(no bills file)");
    }

    public List<Bill> bills() {
        return bills;
    }

    public String source() {
        return source;
    }

    /** The bill named {@code name}; an error listing the bills otherwise. */
    public Bill bill(String name) {
        for (Bill b : bills) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no bill '" + name + "' in " + source + "; its bills: "
                + (bills.isEmpty() ? "(none)" : String.join(", ", bills.stream().map(Bill::name).toList())));
    }

    /** One bill's lines while reading: key → (value, where) in order. */
    private record Line(String key, String value, String where) {
    }

    /** Parses the format above; {@code name} names the file in messages. */
    public static BillsFile parse(String text, String name) {
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        List<Bill> bills = new ArrayList<>();
        String bill = null;
        String billWhere = null;
        List<Line> lines = new ArrayList<>();
        String[] all = text.split("\r?\n", -1);
        for (int i = 0; i <= all.length; i++) {
            String line = i < all.length ? stripComment(all[i]).strip() : null;
            String where = name + ":" + (i + 1);
            if (line != null && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line == null || line.startsWith("[")) {
                if (bill != null) {
                    build(bill, billWhere, lines, problems).ifPresent(bills::add);
                }
                if (line == null) {
                    break;
                }
                Matcher m = HEADER.matcher(line);
                if (!m.matches()) {
                    problems.add(where + ": '" + line + "' is not a bill header; write '[bill NAME]'");
                    bill = null;
                    continue;
                }
                bill = m.group(1);
                billWhere = where;
                lines = new ArrayList<>();
                if (!NAME.matcher(bill).matches()) {
                    problems.add(where + ": bill name '" + bill + "' is not allowed; use letters, digits, '.', '_' and '-'"
                            + " (up to 64, not starting with '-')");
                }
                String before = seen.putIfAbsent(bill, where);
                if (before != null) {
                    problems.add(where + ": bill '" + bill + "' is already defined at " + before + "; bill names are unique");
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(where + ": '" + line + "' is not 'key = value'");
                continue;
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (bill == null) {
                problems.add(where + ": '" + key + "' outside a bill; start one with '[bill NAME]'");
                continue;
            }
            if (!KEYS.contains(key)) {
                problems.add(where + ": unknown key '" + key + "' in bill '" + bill + "'; known keys: " + String.join(", ", KEYS));
                continue;
            }
            lines.add(new Line(key, line.substring(eq + 1).strip(), where));
        }
        if (!problems.isEmpty()) {
            // in line order, though a bill's own problems are found at its end
            problems.sort(java.util.Comparator.comparingInt(BillsFile::lineOf));
            throw new IllegalArgumentException("the bills file " + name + " is refused:\n  " + String.join("\n  ", problems));
        }
        return new BillsFile(bills, name);
    }

    private static int lineOf(String problem) {
        Matcher m = Pattern.compile(":(\\d+): ").matcher(problem);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A {@code #} with a space (or the line start) before it starts a comment. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Optional<Bill> build(String name, String where, List<Line> lines, List<String> problems) {
        int before = problems.size();
        Map<String, Line> single = new LinkedHashMap<>();
        List<BillMember> members = new ArrayList<>();
        for (Line l : lines) {
            try {
                switch (l.key()) {
                    case "label" -> members.add(BillMember.label(l.value()));
                    case "anchor" -> members.add(BillMember.anchor(l.value()));
                    case "table" -> members.add(BillMember.table(l.value()));
                    case "address" -> {
                        String[] p = l.value().split("\\s+");
                        if (p.length != 2) {
                            throw new IllegalArgumentException("an address member is 'TABLE ENTRY' or 'TABLE *', e.g."
                                    + " 'address = customers/acme:acme-nets 10.1.0.0/24', got '" + l.value() + "'");
                        }
                        members.add(BillMember.address(p[0], p[1]));
                    }
                    default -> {
                        Line prev = single.put(l.key(), l);
                        if (prev != null) {
                            problems.add(l.where() + ": " + l.key() + " of bill '" + name + "' is already set at " + prev.where()
                                    + "; set it once");
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                problems.add(l.where() + ": " + e.getMessage());
            }
        }
        if (members.isEmpty()) {
            problems.add(where + ": bill '" + name + "' has no members; add label, anchor, table or address lines");
        }
        BillingCycle cycle = null;
        Integer day = 1;
        ZoneId zone = ZoneId.of("UTC");
        if (single.containsKey("day")) {
            Line l = single.get("day");
            try {
                day = day(l);
                new BillingCycle(day, zone);
            } catch (IllegalArgumentException e) {
                problems.add(l.where() + ": " + e.getMessage().replace("billing.day: ", "day: "));
                day = null;
            }
        }
        if (single.containsKey("zone")) {
            try {
                zone = zone(single.get("zone"));
            } catch (IllegalArgumentException e) {
                problems.add(single.get("zone").where() + ": " + e.getMessage());
                zone = null;
            }
        }
        if (day != null && zone != null) {
            cycle = new BillingCycle(day, zone);
        }
        BillActions actions = BillActions.PASS;
        if (single.containsKey("action")) {
            Line l = single.get("action");
            try {
                actions = BillActions.parse(l.value());
            } catch (IllegalArgumentException e) {
                problems.add(l.where() + ": " + e.getMessage());
            }
        }
        BillType type = type(name, where, single, problems);
        if (problems.size() > before || cycle == null || type == null) {
            return Optional.empty();
        }
        String customer = single.containsKey("customer") ? single.get("customer").value() : "";
        return Optional.of(new Bill(name, customer, members, cycle, type, where, actions));
    }

    private static int day(Line l) {
        try {
            return Integer.parseInt(l.value());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("day: '" + l.value() + "' is not a number; allowed are 1 to 28");
        }
    }

    private static ZoneId zone(Line l) {
        try {
            return ZoneId.of(l.value());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zone: '" + l.value() + "' is not a time zone; use an IANA name such as UTC or"
                    + " Europe/Berlin");
        }
    }

    private static BillType type(String name, String where, Map<String, Line> single, List<String> problems) {
        Line t = single.get("type");
        if (t == null) {
            problems.add(where + ": bill '" + name + "' has no type; add 'type = 95th', 'type = quota' or 'type = volume'");
            return null;
        }
        Line commit = single.get("commit");
        Line quota = single.get("quota");
        Line direction = single.get("direction");
        try {
            switch (t.value().toLowerCase(Locale.ROOT)) {
                case "95th" -> {
                    refuse(quota, "a 95th-percentile bill has a commit, not a quota");
                    require(commit, where, "a 95th-percentile bill needs 'commit = RATE' in bit/s, e.g. 'commit = 100M'");
                    long rate = amount(commit, false);
                    BillType.RateDirection d = direction == null ? BillType.RateDirection.MAX
                            : enumValue(BillType.RateDirection.class, direction, "in, out, max or aggregate");
                    if (rate > BillType.MAX_COMMIT) {
                        throw new Located(commit.where(), "commit: '" + commit.value() + "' is more than 1P (10^15 bit/s)");
                    }
                    return new BillType.Percentile95(rate, d);
                }
                case "quota" -> {
                    refuse(commit, "a quota bill has a quota, not a commit");
                    require(quota, where, "a quota bill needs 'quota = BYTES', e.g. 'quota = 500G'");
                    long bytes = amount(quota, true);
                    BillType.QuotaDirection d = direction == null ? BillType.QuotaDirection.TOTAL
                            : enumValue(BillType.QuotaDirection.class, direction, "in, out or total");
                    return new BillType.Quota(bytes, d);
                }
                case "volume" -> {
                    refuse(commit, "a volume bill has no commit");
                    refuse(quota, "a volume bill has no quota");
                    refuse(direction, "a volume bill has no direction (it shows in, out and total)");
                    return new BillType.Volume();
                }
                default -> throw new Located(t.where(), "type '" + t.value() + "' is not one of 95th, quota, volume");
            }
        } catch (Located e) {
            problems.add(e.where + ": " + e.getMessage());
        }
        return null;
    }

    /** A problem with its line. */
    private static final class Located extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String where;

        Located(String where, String message) {
            super(message, null, false, false);
            this.where = where;
        }
    }

    private static void refuse(Line l, String why) {
        if (l != null) {
            throw new Located(l.where(), l.key() + " is not allowed here: " + why);
        }
    }

    private static void require(Line l, String where, String what) {
        if (l == null) {
            throw new Located(where, what);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Line l, String allowed) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(l.value())) {
                return e;
            }
        }
        throw new Located(l.where(), "direction '" + l.value() + "' is not allowed here; use " + allowed);
    }

    /** 2M, 1.5G, 500Gi: SI multiples of 1000, IEC (…i) multiples of 1024. */
    static long amount(Line l, boolean iecAllowed) {
        Matcher m = AMOUNT.matcher(l.value());
        if (!m.matches()) {
            throw new Located(l.where(), l.key() + ": '" + l.value() + "' is not an amount; write e.g. 100M or 1.5G"
                    + (iecAllowed ? " or 500Gi" : ""));
        }
        String unit = m.group(2) == null ? "" : m.group(2);
        if (unit.endsWith("i") && !iecAllowed) {
            throw new Located(l.where(), l.key() + ": '" + l.value() + "': a rate takes k, M, G or T (powers of 1000)");
        }
        int power = unit.isEmpty() ? 0 : "kMGT".indexOf(Character.toUpperCase(unit.charAt(0)) == 'K' ? 'k' : unit.charAt(0)) + 1;
        java.math.BigDecimal v = new java.math.BigDecimal(m.group(1))
                .multiply(java.math.BigDecimal.valueOf(unit.endsWith("i") ? 1024 : 1000).pow(power));
        try {
            long r = v.setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
            if (r < 1) {
                throw new Located(l.where(), l.key() + ": must be at least 1, got '" + l.value() + "'");
            }
            return r;
        } catch (ArithmeticException e) {
            throw new Located(l.where(), l.key() + ": '" + l.value() + "' is not a whole number of "
                    + (l.key().equals("commit") ? "bit/s" : "bytes") + " below 2^63");
        }
    }
}
