package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.U_INT;
import static org.pfmeter.pf.abi.CType.U_INT32;

/** The three two-int request structs: pfioc_limit, pfioc_tm, pfioc_synflwats (net/pfvar.h). */
final class PfiocScalars {

    private PfiocScalars() {
    }

    /** struct pfioc_limit { int index; unsigned limit; } (DIOCGETLIMIT). */
    static CStruct pfiocLimit() {
        return CStruct.struct("pfioc_limit")
                .field("index", INT)                 // int
                .field("limit", U_INT)               // unsigned
                .build();
    }

    /** struct pfioc_tm { int timeout; int seconds; } (DIOCGETTIMEOUT). */
    static CStruct pfiocTm() {
        return CStruct.struct("pfioc_tm")
                .field("timeout", INT)               // int
                .field("seconds", INT)               // int
                .build();
    }

    /** struct pfioc_synflwats { u_int32_t hiwat; u_int32_t lowat; } (DIOCGETSYNFLWATS). */
    static CStruct pfiocSynflwats() {
        return CStruct.struct("pfioc_synflwats")
                .field("hiwat", U_INT32)             // u_int32_t
                .field("lowat", U_INT32)             // u_int32_t
                .build();
    }

    /** The bare {@code u_int32_t} ticket of DIOCXEND. */
    static CStruct ticket() {
        return CStruct.struct("u_int32_t").field("ticket", U_INT32).build();
    }
}
