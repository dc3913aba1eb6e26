package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * DIOCGETSTATES as pfctl's {@code pfctl_show_states} does it: ask with {@code ps_len} 0 and the kernel
 * answers the bytes the table needs now (pf_status.states × sizeof(struct pfsync_state)); then
 * offer twice that, and accept the answer when the bytes used plus sizeof(struct pfioc_states) stay
 * below the offer; otherwise the table grew into the buffer meanwhile, so double it and ask again.
 * The kernel copies out only whole states that fit and answers the bytes it copied.
 *
 * <p>The buffer is native memory ({@link NativeBuffer}) kept from one read to the next, so a
 * steady table costs one size query and one copy-out per read and no heap. The states are handed to
 * a {@link StateSink} in place: nothing is allocated per state.
 */
public final class StateTableReader implements StateTableSource {

    /** Doublings before a table that keeps outgrowing the buffer is given up. */
    public static final int MAX_ATTEMPTS = 8;

    /** Receives each state where it lies in the buffer. */
    @FunctionalInterface
    public interface StateSink {
        void state(ByteBuffer buffer, int base);

        /**
         * The states at {@code 0, size, 2 × size, …} below {@code used}, in that order. A sink that
         * walks them in its own loop overrides this: it can keep its tables in locals across states.
         */
        default void states(ByteBuffer buffer, int used, int size) {
            for (int base = 0; base < used; base += size) {
                state(buffer, base);
            }
        }
    }

    /**
     * @param states      the states handed to the sink, or the table's size when it was skipped
     * @param skipped     the table was larger than the bound: nothing was copied out
     * @param bufferBytes the native buffer held for the read (0 when skipped or empty)
     * @param calls       DIOCGETSTATES calls the read took
     */
    public record Result(long states, boolean skipped, long bufferBytes, int calls) {
    }

    private final PfDevice device;
    private final PfAbi abi;
    private final PfsyncState codec;
    private NativeBuffer buffer;

    public StateTableReader(PfDevice device, PfAbi abi) {
        this.device = device;
        this.abi = abi;
        this.codec = abi.pfsyncState();
    }

    public PfsyncState codec() {
        return codec;
    }

    @Override
    public PfsyncState layout() {
        return codec;
    }

    @Override
    public String request() {
        return PfIoctl.DIOCGETSTATES.name();
    }

    /** The native buffer held between reads, in bytes (0 before the first read). */
    @Override
    public synchronized long bufferBytes() {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** Drops the buffer (its memory goes when it is collected). */
    public synchronized void release() {
        buffer = null;
    }

    private long call(long len, ByteBuffer into) throws PfIoctlException {
        ByteBuffer arg = NativeBytes.allocate(abi.struct("pfioc_states").size());
        NativeBytes.putU64(arg, codec.psLen, len);
        List<IoctlCall.Pointee> pointees = into == null ? List.of()
                : List.of(new IoctlCall.Pointee("ps_buf", codec.psBuf, into));
        int errno = device.ioctl(new IoctlCall(PfIoctl.DIOCGETSTATES.name(), abi.request(PfIoctl.DIOCGETSTATES), arg, pointees));
        if (errno != 0) {
            throw PfIoctlException.of(PfIoctl.DIOCGETSTATES.name(), errno, abi.release());
        }
        return NativeBytes.u64(arg, codec.psLen);
    }

    /**
     * Reads the table, or only its size when it holds more than {@code maxStates} states.
     *
     * @throws PfIoctlException a failed call, a malformed answer, or a table still outgrowing the
     *                          buffer after {@link #MAX_ATTEMPTS} doublings
     */
    @Override
    public synchronized Result read(long maxStates, StateSink sink) throws PfIoctlException {
        int size = codec.size();
        long needed = call(0, null);
        int calls = 1;
        if (needed < 0 || needed % size != 0) {
            throw PfIoctlException.malformed("DIOCGETSTATES", "ps_len " + Long.toUnsignedString(needed)
                    + " is not a whole number of " + size + "-byte states");
        }
        if (needed == 0) {
            return new Result(0, false, bufferBytes(), calls);
        }
        if (needed / size > maxStates) {
            return new Result(needed / size, true, 0, calls);
        }
        long len = needed;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            len *= 2;
            if (len > Integer.MAX_VALUE - 8) {
                throw PfIoctlException.malformed("DIOCGETSTATES", "a state table of " + len + " bytes does not fit one buffer");
            }
            if (buffer == null || buffer.capacity() < len || buffer.capacity() > 8 * len) {
                buffer = null;   // let the old one go before the new one is taken
                buffer = NativeBuffer.allocate((int) len);
            } else {
                len = buffer.capacity();   // a buffer kept from the last read is offered whole
            }
            long used = call(len, buffer.first((int) len));
            calls++;
            if (used < 0 || used > len || used % size != 0) {
                throw PfIoctlException.malformed("DIOCGETSTATES", "ps_len " + Long.toUnsignedString(used)
                        + " for a buffer of " + len + " bytes of " + size + "-byte states");
            }
            if (used + abi.struct("pfioc_states").size() < len) {
                sink.states(buffer.bytes(), (int) used, size);
                return new Result(used / size, false, buffer.capacity(), calls);
            }
            if (used == 0) {
                return new Result(0, false, buffer.capacity(), calls);
            }
            len = Math.max(len, used);
        }
        throw new PfIoctlException(new org.pfmeter.pf.model.PfError(org.pfmeter.pf.model.PfError.Kind.BUSY, "DIOCGETSTATES", 0, "",
                "DIOCGETSTATES: the state table outgrew the buffer " + MAX_ATTEMPTS + " times in a row (it is growing fast); the next read tries again"));
    }
}
