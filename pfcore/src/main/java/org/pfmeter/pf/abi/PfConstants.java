package org.pfmeter.pf.abi;

/** Array bounds from OpenBSD's headers that the struct layouts use; identical in 7.8 – 8.0. */
public final class PfConstants {

    public static final int IFNAMSIZ = 16;                 // net/if.h
    public static final int PATH_MAX = 1024;               // sys/syslimits.h
    public static final int RTLABEL_LEN = 32;              // net/route.h
    public static final int PF_MD5_DIGEST_LENGTH = 16;
    public static final int PF_ANCHOR_NAME_SIZE = 64;
    public static final int PF_RULE_LABEL_SIZE = 64;
    public static final int PF_QNAME_SIZE = 64;
    public static final int PF_TAG_NAME_SIZE = 64;
    public static final int PF_TABLE_NAME_SIZE = 32;
    public static final int PF_SKIP_COUNT = 9;
    public static final int PFRES_MAX = 17;
    public static final int LCNT_MAX = 10;
    public static final int FCNT_MAX = 3;
    public static final int SCNT_MAX = 3;
    public static final int NCNT_MAX = 3;
    public static final int PF_LIMIT_MAX = 7;
    public static final int PFTM_MAX = 20;
    public static final int PFR_DIR_MAX = 2;
    public static final int PFR_OP_TABLE_MAX = 4;
    public static final int PFR_OP_ADDR_MAX = 3;
    public static final int PFR_FB_NOCOUNT = 9;         // pfra_fback: the entry has no counters
    public static final int PFR_REFCNT_MAX = 2;
    public static final int PFR_REFCNT_RULE = 0;
    public static final int PFR_REFCNT_ANCHOR = 1;
    public static final int PFR_FLAG_ALLRSETS = 0x40;
    public static final int PF_GET_CLR_CNTR = 3;           // pfioc_rule.action that clears counters

    private PfConstants() {
    }
}
