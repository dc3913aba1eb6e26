package org.pfmeter.pf.sim.freebsd;

/**
 * One generic netlink command's handler ({@code genl_cmd.cmd_cb}): writes its answer with the
 * writer and returns 0 or an errno, which the kernel then acknowledges ({@code nlmsg_ack}) unless
 * the handler ended a dump ({@link FreeBsdNlWriter#endDump}).
 */
@FunctionalInterface
public interface FreeBsdNlHandler {

    int handle(FreeBsdNlRequest request, FreeBsdNlWriter writer);
}
