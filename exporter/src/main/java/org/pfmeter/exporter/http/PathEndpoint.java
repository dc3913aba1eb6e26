package org.pfmeter.exporter.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** An extra GET path of the HTTP server (the state-table breakdown's /api/states). */
@FunctionalInterface
public interface PathEndpoint {

    /** Answers a request for {@code path}; false when the path is not this endpoint's. */
    boolean handle(String path, Request request, Response response, Callback callback, boolean head);
}
