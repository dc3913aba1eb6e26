package org.pfmeter.pf.abi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The layout of one C struct or union, computed from its members' types with the amd64 rules:
 * each member at the next multiple of its alignment, the whole padded to the largest alignment.
 * Field names are the C names verbatim, so {@code offset("pfik_states")} reads like the header.
 */
public final class CStruct implements CType {

    /** One member: its C name, type and offset from the start of the struct. */
    public record Field(String name, CType type, int offset) {
        public int size() {
            return type.size();
        }
    }

    private final String name;
    private final boolean union;
    private final Map<String, Field> fields;
    private final int size;
    private final int alignment;

    private CStruct(String name, boolean union, List<Map.Entry<String, CType>> members) {
        this.name = name;
        this.union = union;
        Map<String, Field> laid = new LinkedHashMap<>();
        int offset = 0;
        int align = 1;
        int largest = 0;
        for (Map.Entry<String, CType> m : members) {
            CType t = m.getValue();
            align = Math.max(align, t.alignment());
            int at = union ? 0 : roundUp(offset, t.alignment());
            if (laid.put(m.getKey(), new Field(m.getKey(), t, at)) != null) {
                throw new IllegalArgumentException(name + ": duplicate member " + m.getKey());
            }
            offset = at + t.size();
            largest = Math.max(largest, t.size());
        }
        this.fields = Collections.unmodifiableMap(laid);
        this.alignment = align;
        this.size = roundUp(union ? largest : offset, align);
    }

    private static int roundUp(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** Starts {@code struct name { … }}. */
    public static Builder struct(String name) {
        return new Builder(name, false);
    }

    /** Starts {@code union name { … }}. */
    public static Builder union(String name) {
        return new Builder(name, true);
    }

    /** The C tag, without {@code struct}. */
    public String name() {
        return name;
    }

    public boolean isUnion() {
        return union;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    /** Members in declaration order. */
    public Map<String, Field> fields() {
        return fields;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public Field field(String field) {
        Field f = fields.get(field);
        if (f == null) {
            throw new NoSuchElementException("struct " + name + " has no member " + field);
        }
        return f;
    }

    public int offset(String field) {
        return field(field).offset();
    }

    /** Offset of a member of a nested struct: {@code offset("rule", "label")}. */
    public int offset(String field, String... path) {
        int at = offset(field);
        CType t = field(field).type();
        for (String p : path) {
            if (!(t instanceof CStruct s)) {
                throw new NoSuchElementException(field + " is not a struct");
            }
            at += s.offset(p);
            t = s.field(p).type();
        }
        return at;
    }

    @Override
    public String toString() {
        return (union ? "union " : "struct ") + name + " (" + size + " bytes)";
    }

    /** Collects members in declaration order. */
    public static final class Builder {
        private final String name;
        private final boolean union;
        private final List<Map.Entry<String, CType>> members = new ArrayList<>();

        private Builder(String name, boolean union) {
            this.name = name;
            this.union = union;
        }

        public Builder field(String member, CType type) {
            members.add(Map.entry(member, type));
            return this;
        }

        /** Adds the member only when {@code present}: how a release-specific member is declared. */
        public Builder fieldIf(boolean present, String member, CType type) {
            return present ? field(member, type) : this;
        }

        public CStruct build() {
            return new CStruct(name, union, members);
        }
    }
}
