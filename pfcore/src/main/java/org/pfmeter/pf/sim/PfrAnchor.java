package org.pfmeter.pf.sim;

import java.util.Arrays;
import org.pfmeter.pf.abi.KernelStrings;

/** The kernel's pfr_fix_anchor() on a table request's {@code pfrt_anchor}, as the simulator answers it. */
final class PfrAnchor {

    private PfrAnchor() {
    }

    /**
     * Strips leading slashes from {@code anchor} (in place, NUL-padding the end) and checks that the
     * path is NUL-terminated and NUL-padded.
     *
     * @return the anchor path, or null when the kernel would answer EINVAL
     */
    static String fix(byte[] anchor) {
        int max = anchor.length;
        int lead = 0;
        while (lead < max && anchor[lead] == '/') {
            lead++;
        }
        if (lead > 0) {
            System.arraycopy(anchor, lead, anchor, 0, max - lead);
            Arrays.fill(anchor, max - lead, max, (byte) 0);
        }
        int len = 0;
        while (len < max && anchor[len] != 0) {
            len++;
        }
        if (len == max) {
            return null;
        }
        for (int i = len; i < max; i++) {
            if (anchor[i] != 0) {
                return null;
            }
        }
        return KernelStrings.decode(anchor, 0, len);
    }
}
