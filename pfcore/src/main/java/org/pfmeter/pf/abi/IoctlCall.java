package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * One ioctl as it crosses the device boundary: the request, the argument struct's bytes (read and
 * written in place), and the buffers the argument points to. A device writes each pointee's address
 * into the argument at {@link Pointee#offset()} before the call (the JNA device) or reads the pointee
 * directly (the simulator); a pointer field with no pointee is NULL.
 *
 * @param name    the request's name, e.g. "DIOCGETSTATUS" (for errors, logs and traces)
 * @param request the request number as passed to ioctl(2)
 */
public record IoctlCall(String name, long request, ByteBuffer argument, List<Pointee> pointees) {

    /** A caller buffer referenced by a pointer field of the argument, e.g. {@code pfiio_buffer}. */
    public record Pointee(String field, int offset, ByteBuffer buffer) {
    }

    public IoctlCall {
        pointees = List.copyOf(pointees);
    }

    public Optional<ByteBuffer> pointee(int offset) {
        for (Pointee p : pointees) {
            if (p.offset() == offset) {
                return Optional.of(p.buffer());
            }
        }
        return Optional.empty();
    }
}
