package org.pfmeter.exporter.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.pfmeter.exporter.poll.StatesPoller;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * {@code GET /api/states}: the last state-table breakdown as JSON, top sources and destinations
 * included. It reveals addresses, so it is served only with {@code http.billing-credentials} and
 * behind the same HTTP basic authentication as /billing (and the same refusal of plain HTTP off
 * loopback). 503 before the first breakdown, with the reason when reads are skipped or fail.
 */
public final class StatesEndpoint implements PathEndpoint {

    public static final String PATH = "/api/states";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Authenticator authenticator;
    private final StatesPoller poller;

    public StatesEndpoint(Authenticator authenticator, StatesPoller poller) {
        this.authenticator = authenticator;
        this.poller = poller;
    }

    @Override
    public boolean handle(String path, Request request, Response response, Callback callback, boolean head) {
        if (!path.equals(PATH)) {
            return false;
        }
        if (authenticator.authenticate(request, response, callback, head).isEmpty()) {
            return true;
        }
        Optional<StateBreakdownReader.Read> read = poller.lastRead();
        if (read.isEmpty()) {
            String why = poller.latest().map(o -> o instanceof StateBreakdownReader.Skipped s
                    ? "the state table holds " + s.states() + " states, more than states.max-states = " + s.bound()
                    : o instanceof StateBreakdownReader.Failed f ? f.error().message() : "").orElse("no breakdown read yet");
            HttpServer.send(response, callback, 503, "text/plain; charset=utf-8", why + "\n", head);
            return true;
        }
        HttpServer.send(response, callback, 200, "application/json", json(read.get().breakdown(), poller).toString() + "\n", head);
        return true;
    }

    static ObjectNode json(StateTableBreakdown b, StatesPoller poller) {
        ObjectNode n = JSON.createObjectNode();
        n.put("read_at", b.takenAt().toString());
        n.put("read_seconds", b.took().toNanos() / 1e9);
        n.put("states", b.states());
        n.put("unattributed", b.unattributed());
        n.put("skipped_reads", poller.skipped());
        ArrayNode labels = n.putArray("by_label");
        b.byLabel().forEach((k, v) -> labels.addObject().put("anchor", k.anchor()).put("label", k.label()).put("states", v));
        ObjectNode ifs = n.putObject("by_interface");
        b.byInterface().forEach(ifs::put);
        ArrayNode protos = n.putArray("by_protocol");
        b.byProtocol().forEach((k, v) -> protos.addObject().put("protocol", k.protocol()).put("af", k.family()).put("states", v));
        ObjectNode tcp = n.putObject("by_tcp_state");
        b.byTcpState().forEach(tcp::put);
        ArrayNode age = n.putArray("age");
        List<Long> bounds = b.age().upperBoundsSeconds();
        for (int i = 0; i <= bounds.size(); i++) {
            ObjectNode a = age.addObject();
            if (i < bounds.size()) {
                a.put("le_seconds", bounds.get(i));
            } else {
                a.putNull("le_seconds");
            }
            a.put("states", b.age().counts().get(i));
        }
        n.set("sources", top(b.sources()));
        n.set("destinations", top(b.destinations()));
        return n;
    }

    private static ObjectNode top(StateTableBreakdown.TopAddresses t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("exact", t.exact());
        n.put("distinct", t.distinct());
        n.put("untracked_states", t.untrackedStates());
        ArrayNode s = n.putArray("by_states");
        t.byStates().forEach(a -> s.addObject().put("address", a.address()).put("states", a.states()).put("bytes", a.bytes()));
        ArrayNode by = n.putArray("by_bytes");
        t.byBytes().forEach(a -> by.addObject().put("address", a.address()).put("states", a.states()).put("bytes", a.bytes()));
        return n;
    }
}
