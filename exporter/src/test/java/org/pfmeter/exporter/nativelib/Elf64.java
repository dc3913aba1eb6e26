package org.pfmeter.exporter.nativelib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The little of a 64-bit little-endian ELF shared object that decides whether it can load: the
 * symbols it imports (.dynsym entries with no section, names in .dynstr), the libraries it needs
 * (DT_NEEDED in .dynamic) and the x86 feature bits of .note.gnu.property. Read from the section
 * headers, as readelf --dyn-syms -d does; every offset is checked against the file's length.
 */
final class Elf64 {

    static final int SHT_DYNSYM = 11;
    static final int SHT_DYNAMIC = 6;
    static final int SHT_NOTE = 7;
    static final int SHN_UNDEF = 0;
    static final int STB_GLOBAL = 1;
    static final int STB_WEAK = 2;
    static final long DT_NULL = 0;
    static final long DT_NEEDED = 1;
    static final int EM_X86_64 = 62;
    /** elf.h: NT_GNU_PROPERTY_TYPE_0 and GNU_PROPERTY_X86_FEATURE_1_AND, whose bit 0 is IBT. */
    static final int NT_GNU_PROPERTY_TYPE_0 = 5;
    static final int GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
    static final int GNU_PROPERTY_X86_FEATURE_1_IBT = 1;

    /** A symbol the object imports: it has no section here and must come from a needed library. */
    record Import(String name, int binding) {
        boolean weak() {
            return binding == STB_WEAK;
        }
    }

    private record Section(int type, long offset, long size, int link, long entsize) {
    }

    private final ByteBuffer b;
    private final int machine;
    private final int osAbi;
    private final List<Section> sections = new ArrayList<>();

    Elf64(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || b.getInt(0) != 0x464c457f) {
            throw new IllegalArgumentException("not an ELF file");
        }
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not a 64-bit little-endian ELF file (class " + bytes[4] + ", data " + bytes[5] + ")");
        }
        osAbi = bytes[7] & 0xff;
        machine = b.getShort(18) & 0xffff;
        long shoff = b.getLong(40);
        int shentsize = b.getShort(58) & 0xffff;
        int shnum = b.getShort(60) & 0xffff;
        check(shoff, (long) shentsize * shnum, "section headers");
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            Section s = new Section(b.getInt(h + 4), b.getLong(h + 24), b.getLong(h + 32), b.getInt(h + 40), b.getLong(h + 56));
            sections.add(s);
        }
    }

    int machine() {
        return machine;
    }

    /** e_ident[EI_OSABI]: 0 System V, 12 OpenBSD. */
    int osAbi() {
        return osAbi;
    }

    /** Every undefined, named symbol of .dynsym, in table order. */
    List<Import> imports() {
        List<Import> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != SHT_DYNSYM) {
                continue;
            }
            check(s.offset(), s.size(), ".dynsym");
            Section strtab = linked(s);
            // entry 0 is the reserved null symbol
            for (long off = s.offset() + 24; off + 24 <= s.offset() + s.size(); off += 24) {
                int name = b.getInt((int) off);
                int info = b.get((int) off + 4) & 0xff;
                int shndx = b.getShort((int) off + 6) & 0xffff;
                if (shndx == SHN_UNDEF && name != 0) {
                    out.add(new Import(string(strtab, name), info >> 4));
                }
            }
        }
        return out;
    }

    /** The DT_NEEDED entries of .dynamic, in order: the libraries the loader must find. */
    List<String> needed() {
        List<String> out = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() != SHT_DYNAMIC) {
                continue;
            }
            check(s.offset(), s.size(), ".dynamic");
            Section strtab = linked(s);
            for (long off = s.offset(); off + 16 <= s.offset() + s.size(); off += 16) {
                long tag = b.getLong((int) off);
                if (tag == DT_NULL) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    out.add(string(strtab, b.getLong((int) off + 8)));
                }
            }
        }
        return out;
    }

    /** The GNU_PROPERTY_X86_FEATURE_1_AND bits of the GNU property notes, 0 when there are none. */
    int x86Features() {
        int features = 0;
        for (Section s : sections) {
            if (s.type() != SHT_NOTE) {
                continue;
            }
            check(s.offset(), s.size(), "note");
            long off = s.offset();
            long end = s.offset() + s.size();
            while (off + 12 <= end) {
                int namesz = b.getInt((int) off);
                int descsz = b.getInt((int) off + 4);
                int type = b.getInt((int) off + 8);
                long name = off + 12;
                long desc = name + align(namesz, 4);
                boolean gnu = namesz == 4 && b.getInt((int) name) == 0x00554e47; // "GNU\0"
                if (gnu && type == NT_GNU_PROPERTY_TYPE_0) {
                    // properties are 8-aligned in ELF64: pr_type, pr_datasz, data
                    for (long p = desc; p + 8 <= desc + descsz; ) {
                        int prType = b.getInt((int) p);
                        int prSize = b.getInt((int) p + 4);
                        if (prType == GNU_PROPERTY_X86_FEATURE_1_AND && prSize >= 4) {
                            features |= b.getInt((int) p + 8);
                        }
                        p += 8 + align(prSize, 8);
                    }
                }
                off = desc + align(descsz, gnu && type == NT_GNU_PROPERTY_TYPE_0 ? 8 : 4);
            }
        }
        return features;
    }

    private Section linked(Section s) {
        if (s.link() <= 0 || s.link() >= sections.size()) {
            throw new IllegalArgumentException("section links to string table " + s.link() + " of " + sections.size());
        }
        Section strtab = sections.get(s.link());
        check(strtab.offset(), strtab.size(), "string table");
        return strtab;
    }

    private String string(Section strtab, long index) {
        if (index < 0 || index >= strtab.size()) {
            throw new IllegalArgumentException("string index " + index + " outside its table of " + strtab.size());
        }
        int start = (int) (strtab.offset() + index);
        int end = start;
        while (end < strtab.offset() + strtab.size() && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - start];
        b.get(start, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    private void check(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset + size > b.capacity()) {
            throw new IllegalArgumentException(what + " at " + offset + " (+" + size + ") outside the file of " + b.capacity() + " bytes");
        }
    }

    private static long align(long n, int to) {
        return (n + to - 1) & -to;
    }
}
