package org.pfmeter.pf.abi.netlink;

/**
 * One status counter as FreeBSD's GET_STATUS reply carries it: its index in the kernel's name table
 * ({@code PF_C_ID}), the table's entry ({@code PF_C_NAME}) and the unsigned 64-bit value.
 */
public record NamedCounter(int id, String name, long value) {
}
