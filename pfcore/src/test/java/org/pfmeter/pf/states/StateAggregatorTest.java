package org.pfmeter.pf.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.StateTableBreakdown;

/**
 * The walk counts a run of states on one interface once, when the run ends: the counts equal the
 * states', whether the states come in one buffer (IPv4 addresses sorted after the walk) or one at a
 * time (a netlink dump: every state a run of its own, addresses hashed).
 */
class StateAggregatorTest {

    private static final PfsyncState CODEC = AbiRelease.V8_0.abi().pfsyncState();
    // pfsync_state's ifname and af, followed by proto and direction (AbiLayoutTest pins them for every release)
    private static final int IFNAME = 8;
    private static final int AF = 250;

    /** An empty name first (the walk's run starts as one), then runs of several lengths, names met again. */
    private static final String[] INTERFACES = {"", "", "em0", "em0", "em0", "all", "all", "em0", "vlan100", "all", "", "em0"};

    private static ByteBuffer table() {
        int size = CODEC.size();
        ByteBuffer b = ByteBuffer.allocate(size * INTERFACES.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < INTERFACES.length; k++) {
            int base = k * size;
            b.put(base + IFNAME, INTERFACES[k].getBytes(StandardCharsets.US_ASCII));
            b.put(base + AF, (byte) 2).put(base + AF + 1, (byte) 6).put(base + AF + 2, (byte) PfsyncState.PF_IN);
            CODEC.putRule(b, base, PfsyncState.NO_RULE);
            CODEC.putAnchor(b, base, PfsyncState.NO_RULE);
            CODEC.putCounter(b, base, true, 0, 100L * k);
            b.putInt(CODEC.wireAddr(base, 0), 0x0100000a + (k % 3 << 24));      // 10.0.0.1 to 10.0.0.3
            b.putInt(CODEC.wireAddr(base, 1), 0x010200c0);                       // 192.0.2.1
        }
        return b;
    }

    private static StateTableBreakdown read(boolean oneAtATime) {
        StateAggregator a = new StateAggregator(CODEC, 16);
        ByteBuffer b = table();
        for (int round = 0; round < 2; round++) {                  // the second read reuses the tables
            a.start(null);
            if (oneAtATime) {
                for (int base = 0; base < b.capacity(); base += CODEC.size()) {
                    a.state(b, base);
                }
            } else {
                a.states(b, b.capacity(), CODEC.size());
            }
        }
        return a.finish(Instant.EPOCH, Duration.ZERO, b.capacity(), 10);
    }

    @Test
    void runsOfOneInterfaceCountEachState() {
        StateTableBreakdown b = read(false);
        assertThat(b.byInterface()).isEqualTo(Map.of("", 3L, "em0", 5L, "all", 3L, "vlan100", 1L));
        assertThat(b.states()).isEqualTo(INTERFACES.length);
        assertThat(b.unattributed()).isEqualTo(INTERFACES.length);
    }

    @Test
    void statesOneAtATimeGiveTheSameBreakdown() {
        StateTableBreakdown bulk = read(false);
        StateTableBreakdown single = read(true);
        assertThat(single.byInterface()).isEqualTo(bulk.byInterface());
        assertThat(single.sources()).isEqualTo(bulk.sources());
        assertThat(single.destinations()).isEqualTo(bulk.destinations());
        assertThat(single.byProtocol()).isEqualTo(bulk.byProtocol());
        assertThat(bulk.sources().byStates()).extracting(StateTableBreakdown.AddressCount::address)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
    }
}
