package org.unicon.cli.internal;

import java.net.URI;

/**
 * Where the agent listens: {@code host:port}, as in the agent's {@code address} setting. Taken
 * from {@code --agent}, else the {@code UNICON_AGENT} environment variable, else
 * {@value #DEFAULT}. An {@code http://} prefix is accepted and ignored.
 */
record AgentAddress(String host, int port) {

    static final String DEFAULT = "127.0.0.1:5051";
    static final String ENVIRONMENT_VARIABLE = "UNICON_AGENT";

    static AgentAddress choose(String option, String environment) {
        if (option != null && !option.isBlank()) {
            return parse(option, "--agent");
        }
        if (environment != null && !environment.isBlank()) {
            return parse(environment, ENVIRONMENT_VARIABLE);
        }
        return parse(DEFAULT, "the default");
    }

    static AgentAddress parse(String text, String source) {
        String value = text.strip();
        if (value.startsWith("http://")) {
            value = value.substring("http://".length());
        }
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw CliException.usage("agent address '" + text + "' from " + source
                    + " is not host:port (e.g. " + DEFAULT + ")");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw CliException.usage("agent address '" + text + "' from " + source
                    + " has no valid port (1-65535)");
        }
        return new AgentAddress(host, port);
    }

    URI apiUri() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port + "/api/v1");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
