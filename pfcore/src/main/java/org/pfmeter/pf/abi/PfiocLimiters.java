package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.SA_FAMILY;
import static org.pfmeter.pf.abi.CType.SIZE;
import static org.pfmeter.pf.abi.CType.U_INT;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;

/**
 * The limiter request structs of pfvar.h 1.548 (OpenBSD 7.9 and the 8.0 tree; 7.8 has none):
 * {@code struct pfioc_statelim} (DIOCGETSTATELIM, DIOCGETNSTATELIM), {@code struct pfioc_sourcelim}
 * (DIOCGETSOURCELIM, DIOCGETNSOURCELIM), {@code struct pfioc_source} with its array of
 * {@code struct pfioc_source_entry} (DIOCGETSOURCE, DIOCGETNSOURCE).
 */
final class PfiocLimiters {

    /** PF_STATELIM_NAME_LEN and PF_SOURCELIM_NAME_LEN ("kstat istr"). */
    static final int NAME_LEN = 16;
    /** PF_STATELIM_DESCR_LEN and PF_SOURCELIM_DESCR_LEN. */
    static final int DESCR_LEN = 64;

    private PfiocLimiters() {
    }

    /** {@code struct { unsigned int limit; unsigned int seconds; } rate}. */
    private static CStruct rate() {
        return CStruct.struct("rate")
                .field("limit", U_INT)                   // unsigned int
                .field("seconds", U_INT)                 // unsigned int
                .build();
    }

    static CStruct statelim() {
        return CStruct.struct("pfioc_statelim")
                .field("ticket", U_INT32)                // u_int32_t
                .field("name", chars(NAME_LEN))          // char [PF_STATELIM_NAME_LEN]
                .field("id", U_INT32)                    // uint32_t
                .field("limit", U_INT)                   // unsigned int
                .field("rate", rate())                   // struct { limit, seconds }
                .field("description", chars(DESCR_LEN))  // char [PF_STATELIM_DESCR_LEN]
                .field("inuse", U_INT)                   // unsigned int: gauge
                .field("admitted", U_INT64)              // uint64_t: counter
                .field("hardlimited", U_INT64)           // uint64_t: counter
                .field("ratelimited", U_INT64)           // uint64_t: counter
                .build();
    }

    static CStruct sourcelim() {
        return CStruct.struct("pfioc_sourcelim")
                .field("ticket", U_INT32)                // u_int32_t
                .field("name", chars(NAME_LEN))          // char [PF_SOURCELIM_NAME_LEN]
                .field("id", U_INT32)                    // uint32_t
                .field("entries", U_INT)                 // unsigned int: limit on address entries
                .field("limit", U_INT)                   // unsigned int: states per address entry
                .field("rate", rate())                   // struct { limit, seconds }
                .field("overload_tblname", chars(PF_TABLE_NAME_SIZE))   // char [PF_TABLE_NAME_SIZE]
                .field("overload_hwm", U_INT)            // unsigned int
                .field("overload_lwm", U_INT)            // unsigned int
                .field("inet_prefix", U_INT)             // unsigned int
                .field("inet6_prefix", U_INT)            // unsigned int
                .field("description", chars(DESCR_LEN))  // char [PF_SOURCELIM_DESCR_LEN]
                .field("nentries", U_INT)                // unsigned int: gauge
                .field("inuse", U_INT)                   // unsigned int: gauge
                .field("addrallocs", U_INT64)            // uint64_t: counter
                .field("addrnomem", U_INT64)             // uint64_t: counter
                .field("admitted", U_INT64)              // uint64_t: counter
                .field("addrlimited", U_INT64)           // uint64_t: counter
                .field("hardlimited", U_INT64)           // uint64_t: counter
                .field("ratelimited", U_INT64)           // uint64_t: counter
                .build();
    }

    static CStruct sourceEntry() {
        return CStruct.struct("pfioc_source_entry")
                .field("af", SA_FAMILY)                  // sa_family_t
                .field("rdomain", U_INT)                 // unsigned int
                .field("addr", PfRuleParts.PF_ADDR)      // struct pf_addr
                .field("inuse", U_INT)                   // unsigned int: gauge
                .field("admitted", U_INT64)              // uint64_t: counter
                .field("hardlimited", U_INT64)           // uint64_t: counter
                .field("ratelimited", U_INT64)           // uint64_t: counter
                .build();
    }

    static CStruct source() {
        return CStruct.struct("pfioc_source")
                .field("name", chars(NAME_LEN))          // char [PF_SOURCELIM_NAME_LEN]
                .field("id", U_INT32)                    // uint32_t
                .field("inet_prefix", U_INT)             // unsigned int: copied from the limiter
                .field("inet6_prefix", U_INT)            // unsigned int
                .field("limit", U_INT)                   // unsigned int
                .field("entry_size", SIZE)               // size_t: sizeof(struct pfioc_source_entry)
                .field("key", POINTER)                   // struct pfioc_source_entry *: where the walk starts
                .field("entries", POINTER)               // struct pfioc_source_entry *: the caller's array
                .field("entrieslen", SIZE)               // size_t: bytes in, bytes written out
                .build();
    }
}
