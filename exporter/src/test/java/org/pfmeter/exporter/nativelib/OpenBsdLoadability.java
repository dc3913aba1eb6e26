package org.pfmeter.exporter.nativelib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Whether JNA's OpenBSD/amd64 library can load on OpenBSD 7.8 and later, decided from its ELF alone,
 * so that a Linux build machine cannot be fooled: every symbol it imports must be exported by 7.8's
 * libc (or libffi, when it needs libffi), and it may need no library but libc, libpthread and libffi.
 *
 * <p>The lists are literal, checked by hand: {@link #LIBC} against OpenBSD's lib/libc/Symbols.list
 * (the list of what libc exports; read at openbsd/src commit 026846f1, after 7.8 removed
 * {@code __sF} in favour of {@code __stderr}, {@code __stdin}, {@code __stdout}), in that file's
 * sections. They hold what JNA 5.17.0 and 5.19.1 import; a JNA that imports something new fails
 * until the new name is checked against Symbols.list and added here.
 */
final class OpenBsdLoadability {

    /** Where the shaded jar and JNA's jar keep it. */
    static final String ENTRY = "com/sun/jna/openbsd-x86-64/libjnidispatch.so";

    /** Exported by OpenBSD 7.8's libc (lib/libc/Symbols.list), grouped by that file's sections. */
    static final Set<String> LIBC = Set.of(
            // sys
            "__stack_smash_handler", "close", "ftruncate", "mmap", "munmap", "unlink", "write",
            // dlfcn
            "dlclose", "dlerror", "dlopen", "dlsym",
            // gen
            "__errno", "longjmp", "setjmp", "signal", "sysconf",
            // stdio (7.8: __stderr; __sF is gone)
            "__stderr", "fprintf", "fwrite", "mkostemp", "snprintf", "sprintf",
            // stdlib
            "__cxa_atexit", "__cxa_finalize", "abort", "calloc", "free", "getenv", "malloc",
            // string
            "memcpy", "memset", "strcpy", "strdup", "strerror_r", "strlen", "strtok_r", "wcslen",
            // thread: libc itself exports these pthread functions, so libpthread is not needed for them
            "_thread_atfork", "pthread_getspecific", "pthread_key_create", "pthread_key_delete", "pthread_mutex_init",
            "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_once", "pthread_setspecific");

    /** libffi's API (ffi.h), versioned LIBFFI_BASE_8.0 and LIBFFI_CLOSURE_8.0: the port's libffi.so.2.x. */
    static final Set<String> LIBFFI = Set.of(
            "ffi_call", "ffi_prep_cif", "ffi_prep_cif_var", "ffi_closure_alloc", "ffi_closure_free", "ffi_prep_closure_loc",
            "ffi_type_void", "ffi_type_uint8", "ffi_type_sint8", "ffi_type_uint16", "ffi_type_sint16", "ffi_type_uint32",
            "ffi_type_sint32", "ffi_type_uint64", "ffi_type_sint64", "ffi_type_float", "ffi_type_double",
            "ffi_type_longdouble", "ffi_type_pointer");

    /** Weak references the loader leaves NULL when no library defines them (gcc's crtstuff Java hook). */
    static final Set<String> WEAK_MAY_BE_ABSENT = Set.of("_Jv_RegisterClasses");

    /** DT_NEEDED may name these, with any version suffix (libc.so.102.0, libffi.so.2.4). */
    static final List<String> NEEDED_PREFIXES = List.of("libc.so", "libpthread.so", "libffi.so");

    /** What to do, appended to every failure. */
    static final String WHAT_TO_DO = "pfmeter could not load JNA on OpenBSD 7.8+ with this library: upgrade JNA (jna.version in "
            + "the root pom.xml) to a release whose OpenBSD library was built on OpenBSD 7.8 or later (5.19.1 is), or build "
            + "libjnidispatch on the firewall from JNA's sources and start pfmeter with -Djna.boot.library.path=DIR "
            + "(see exporter/README.md, running on OpenBSD). If a new JNA imports a symbol that 7.8's libc does export, "
            + "check it against OpenBSD's lib/libc/Symbols.list and add it to OpenBsdLoadability.LIBC.";

    private OpenBsdLoadability() {
    }

    /** Why {@code elf} cannot load on OpenBSD 7.8+; empty when it can. */
    static List<String> problems(Elf64 elf) {
        List<String> problems = new ArrayList<>();
        if (elf.machine() != Elf64.EM_X86_64) {
            problems.add("is for machine " + elf.machine() + ", not amd64 (x86-64)");
        }
        boolean libffi = false;
        for (String lib : elf.needed()) {
            libffi |= lib.startsWith("libffi.so");
            if (NEEDED_PREFIXES.stream().noneMatch(lib::startsWith)) {
                problems.add("needs " + lib + ", which is neither libc, libpthread nor libffi");
            }
        }
        for (Elf64.Import s : elf.imports()) {
            if (LIBC.contains(s.name()) || (s.weak() && WEAK_MAY_BE_ABSENT.contains(s.name()))) {
                continue;
            }
            if (LIBFFI.contains(s.name())) {
                if (!libffi) {
                    problems.add("imports " + s.name() + " from libffi but does not need libffi");
                }
                continue;
            }
            problems.add("imports " + s.name() + (s.weak() ? " (weak)" : "") + ", which OpenBSD 7.8's libc does not export");
        }
        return problems;
    }

    /** The failure message for {@code what} ("the shaded jar's ..."), or empty when there are no problems. */
    static String verdict(String what, List<String> problems) {
        return problems.isEmpty() ? "" : what + " cannot load on OpenBSD 7.8+: it " + String.join("; it ", problems) + ". " + WHAT_TO_DO;
    }

    /** The library's bytes from a jar that holds it at {@link #ENTRY}. */
    static byte[] fromJar(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry(ENTRY);
            if (e == null) {
                throw new IOException(jar + " holds no " + ENTRY + ": pfmeter would have no native layer on OpenBSD");
            }
            try (InputStream in = j.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }
}
