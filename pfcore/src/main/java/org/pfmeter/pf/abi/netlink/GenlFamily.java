package org.pfmeter.pf.abi.netlink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * A generic netlink family as the controller ({@code "nlctrl"}, id 16) describes it in answer to
 * CTRL_CMD_GETFAMILY: its name, the id its messages carry as {@code nlmsg_type}, and the commands
 * the running kernel registered (CTRL_ATTR_OPS, with each command's GENL_* flags). The id is assigned
 * when pf registers the family (module load order), so it is resolved by name on every start, never
 * remembered; the command list is how pfmeter learns what this kernel offers.
 *
 * @param ops command number to its CTRL_ATTR_OP_FLAGS, in the kernel's order
 */
public record GenlFamily(String name, int id, long version, long hdrsize, long maxattr, Map<Integer, Long> ops) {

    public GenlFamily {
        ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
    }

    /** The request libpfctl's {@code snl_get_genl_family} sends: CTRL_CMD_GETFAMILY by name. */
    public static byte[] request(String name, long seq) {
        return NetlinkRequest.genl(GenericNetlink.GENL_ID_CTRL, GenericNetlink.CTRL_CMD_GETFAMILY, 0,
                        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq)
                .putString(GenericNetlink.CTRL_ATTR_FAMILY_NAME, name)
                .toBytes();
    }

    /** Decodes a CTRL_CMD_NEWFAMILY message (the answer to CTRL_CMD_GETFAMILY). */
    public static GenlFamily decode(NetlinkMessage m) {
        if (m.type() != GenericNetlink.GENL_ID_CTRL) {
            throw new MalformedAnswerException("CTRL_CMD_GETFAMILY: answer has nlmsg_type " + m.type()
                    + ", not the controller's " + GenericNetlink.GENL_ID_CTRL);
        }
        NlAttrs a = m.attributes("CTRL_CMD_GETFAMILY reply");
        String name = a.required(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "CTRL_ATTR_FAMILY_NAME").string();
        int id = a.required(GenericNetlink.CTRL_ATTR_FAMILY_ID, "CTRL_ATTR_FAMILY_ID").u16();
        if (id < GenericNetlink.GENL_MIN_ID || id > GenericNetlink.GENL_MAX_ID) {
            throw new MalformedAnswerException("CTRL_CMD_GETFAMILY: family '" + name + "' has id " + id
                    + ", outside " + GenericNetlink.GENL_MIN_ID + ".." + GenericNetlink.GENL_MAX_ID);
        }
        long version = a.first(GenericNetlink.CTRL_ATTR_VERSION).map(NlAttr::u32).orElse(0L);
        long hdrsize = a.first(GenericNetlink.CTRL_ATTR_HDRSIZE).map(NlAttr::u32).orElse(0L);
        long maxattr = a.first(GenericNetlink.CTRL_ATTR_MAXATTR).map(NlAttr::u32).orElse(0L);
        Map<Integer, Long> ops = new LinkedHashMap<>();
        for (NlAttr list : a.all(GenericNetlink.CTRL_ATTR_OPS)) {
            for (NlAttr op : list.nested().all()) {
                NlAttrs o = op.nested();
                long cmd = o.required(GenericNetlink.CTRL_ATTR_OP_ID, "CTRL_ATTR_OP_ID").u32();
                long flags = o.first(GenericNetlink.CTRL_ATTR_OP_FLAGS).map(NlAttr::u32).orElse(0L);
                ops.put((int) cmd, flags);
            }
        }
        return new GenlFamily(name, id, version, hdrsize, maxattr, ops);
    }

    /** Whether the running kernel registered this command. */
    public boolean supports(int cmd) {
        return ops.containsKey(cmd);
    }
}
