package org.pfmeter.exporter.jmx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.pfmeter.exporter.poll.StatesPoller;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.states.StateBreakdownReader;

/** The {@code type=StateTable} MXBean over the breakdown poller's last read. */
public final class StateTableBean implements StateTableMXBean {

    private final StatesPoller poller;

    public StateTableBean(StatesPoller poller) {
        this.poller = poller;
    }

    public static ObjectName objectName() {
        try {
            return new ObjectName(JmxPublisher.DOMAIN + ":type=StateTable");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<StateTableBreakdown> b() {
        return poller.lastRead().map(StateBreakdownReader.Read::breakdown);
    }

    private <T> T of(Function<StateTableBreakdown, T> f, T none) {
        return b().map(f).orElse(none);
    }

    @Override
    public long getStates() {
        return of(StateTableBreakdown::states, 0L);
    }

    @Override
    public long getUnattributed() {
        return of(StateTableBreakdown::unattributed, 0L);
    }

    @Override
    public String getReadAt() {
        return of(x -> x.takenAt().toString(), "");
    }

    @Override
    public double getReadSeconds() {
        return of(x -> x.took().toNanos() / 1e9, 0.0);
    }

    @Override
    public long getReads() {
        return poller.reads();
    }

    @Override
    public long getSkipped() {
        return poller.skipped();
    }

    @Override
    public long getErrors() {
        return poller.errors();
    }

    @Override
    public String getLastProblem() {
        return poller.latest().map(o -> {
            if (o instanceof StateBreakdownReader.Skipped s) {
                return "skipped: " + s.states() + " states, more than states.max-states = " + s.bound();
            }
            if (o instanceof StateBreakdownReader.Failed f) {
                return f.error().message();
            }
            return "";
        }).orElse("");
    }

    @Override
    public long getBufferBytes() {
        return poller.bufferBytes();
    }

    @Override
    public Map<String, Long> getByLabel() {
        Map<String, Long> m = new LinkedHashMap<>();
        b().ifPresent(x -> x.byLabel().forEach((k, v) -> m.put(k.toString(), v)));
        return m;
    }

    @Override
    public Map<String, Long> getByInterface() {
        return of(x -> new LinkedHashMap<>(x.byInterface()), new LinkedHashMap<>());
    }

    @Override
    public Map<String, Long> getByProtocol() {
        Map<String, Long> m = new LinkedHashMap<>();
        b().ifPresent(x -> x.byProtocol().forEach((k, v) -> m.put(k.protocol() + " " + k.family(), v)));
        return m;
    }

    @Override
    public Map<String, Long> getByTcpState() {
        return of(x -> new LinkedHashMap<>(x.byTcpState()), new LinkedHashMap<>());
    }

    @Override
    public Map<String, Long> getByAge() {
        Map<String, Long> m = new LinkedHashMap<>();
        b().ifPresent(x -> {
            List<Long> bounds = x.age().upperBoundsSeconds();
            for (int i = 0; i < bounds.size(); i++) {
                m.put(bounds.get(i) + "s", x.age().counts().get(i));
            }
            m.put("older", x.age().counts().get(bounds.size()));
        });
        return m;
    }

    private static List<AddressRow> rows(List<StateTableBreakdown.AddressCount> l) {
        return l.stream().map(a -> new AddressRow(a.address(), a.states(), a.bytes())).toList();
    }

    @Override
    public List<AddressRow> getTopSourcesByStates() {
        return of(x -> rows(x.sources().byStates()), List.of());
    }

    @Override
    public List<AddressRow> getTopSourcesByBytes() {
        return of(x -> rows(x.sources().byBytes()), List.of());
    }

    @Override
    public List<AddressRow> getTopDestinationsByStates() {
        return of(x -> rows(x.destinations().byStates()), List.of());
    }

    @Override
    public List<AddressRow> getTopDestinationsByBytes() {
        return of(x -> rows(x.destinations().byBytes()), List.of());
    }

    @Override
    public boolean isTopExact() {
        return of(x -> x.sources().exact() && x.destinations().exact(), true);
    }
}
