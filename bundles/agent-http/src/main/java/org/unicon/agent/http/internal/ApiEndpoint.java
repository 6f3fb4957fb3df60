package org.unicon.agent.http.internal;

import static java.lang.System.Logger.Level.INFO;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The agent API's listening endpoint: a server bound to the configured address, rebound in place
 * when the configuration changes. If the new address cannot be bound, the endpoint keeps (or
 * restores) the previous one and says why, so a bad change never leaves the agent unreachable.
 */
final class ApiEndpoint implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ApiEndpoint.class.getName());

    private final AgentApi api;
    private EndpointSettings settings;
    private AgentHttpServer server;
    private boolean closed;

    ApiEndpoint(AgentApi api, EndpointSettings settings) throws IOException {
        this.api = api;
        this.settings = settings;
        this.server = bind(settings);
    }

    /** The address actually bound. */
    synchronized InetSocketAddress address() {
        return server.address();
    }

    /** Applies changed settings: a new body limit at once, a new address by rebinding. */
    synchronized void apply(EndpointSettings next) throws IOException {
        if (next.address().equals(settings.address())) {
            server.maxBodyBytes(next.maxBodyBytes());
            settings = next;
            return;
        }
        AgentHttpServer previous = server;
        try {
            server = bind(next);
        } catch (IOException e) {
            if (next.address().getPort() != previous.address().getPort()) {
                throw new IOException(e.getMessage() + "; still listening on " + describe(previous.address()), e);
            }
            // The new address overlaps the old one (same port, another host): free it and retry.
            previous.close();
            try {
                server = bind(next);
            } catch (IOException again) {
                server = bind(settings);
                throw new IOException(again.getMessage() + "; still listening on " + describe(server.address()), again);
            }
            settings = next;
            return;
        }
        previous.close();
        settings = next;
    }

    /** Stops serving; closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        LOG.log(INFO, "agent API on {0} closed", describe(server.address()));
    }

    private AgentHttpServer bind(EndpointSettings s) throws IOException {
        AgentHttpServer bound;
        try {
            bound = AgentHttpServer.start(s.address(), api, s.maxBodyBytes());
        } catch (IOException e) {
            throw new IOException("cannot listen on address='" + s.describe() + "': " + e.getMessage(), e);
        }
        LOG.log(INFO, "agent API listening on http://{0}{1}", describe(bound.address()), AgentHttpServer.PATH);
        return bound;
    }

    private static String describe(InetSocketAddress address) {
        return new EndpointSettings(address, 1).describe();
    }
}
