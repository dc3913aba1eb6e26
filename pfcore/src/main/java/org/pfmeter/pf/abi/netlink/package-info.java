/**
 * Netlink as FreeBSD speaks it, for the generic netlink family {@code "pfctl"} through which FreeBSD
 * 14 and 15 export pf's status, rules, limits, timeouts and tables (issue 18). Pure Java over byte
 * arrays: message and attribute framing ({@link org.pfmeter.pf.abi.netlink.NetlinkMessage},
 * {@link org.pfmeter.pf.abi.netlink.NlAttrs}), requests
 * ({@link org.pfmeter.pf.abi.netlink.NetlinkRequest}), the end of one request's answer
 * ({@link org.pfmeter.pf.abi.netlink.NetlinkReply}), family resolution
 * ({@link org.pfmeter.pf.abi.netlink.GenlFamily}) and the numbers of FreeBSD's headers
 * ({@link org.pfmeter.pf.abi.netlink.Netlink}, {@link org.pfmeter.pf.abi.netlink.GenericNetlink},
 * {@link org.pfmeter.pf.abi.netlink.PfNl}). No JNA type appears here: the socket is a separate class.
 */
package org.pfmeter.pf.abi.netlink;
