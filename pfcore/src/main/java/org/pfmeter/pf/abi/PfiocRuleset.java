package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_ANCHOR_NAME_SIZE;

/** struct pfioc_ruleset (DIOCGETRULESETS, DIOCGETRULESET). */
final class PfiocRuleset {

    private PfiocRuleset() {
    }

    static CStruct define() {
        return CStruct.struct("pfioc_ruleset")
                .field("nr", U_INT32)                          // u_int32_t
                .field("path", chars(PATH_MAX))                // char [PATH_MAX]
                .field("name", chars(PF_ANCHOR_NAME_SIZE))     // char [PF_ANCHOR_NAME_SIZE]
                .build();
    }
}
