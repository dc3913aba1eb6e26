package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;

/** struct pfioc_iface (DIOCIGETIFACES). */
final class PfiocIface {

    private PfiocIface() {
    }

    static CStruct define() {
        return CStruct.struct("pfioc_iface")
                .field("pfiio_name", chars(IFNAMSIZ))   // char [IFNAMSIZ]
                .field("pfiio_buffer", POINTER)         // void *: array of struct pfi_kif
                .field("pfiio_esize", INT)              // int: sizeof(struct pfi_kif)
                .field("pfiio_size", INT)               // int: capacity in, count out
                .field("pfiio_nzero", INT)              // int
                .field("pfiio_flags", INT)              // int
                .build();
    }
}
