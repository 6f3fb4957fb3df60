package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.List;

/** The parts of the agent configuration that may change while containers run. */
record AgentSettings(List<String> isolation, String launcher, List<String> imageProviders,
        String sandboxDirectory, String imageBackend, long pluginWaitSeconds) {

    /** How long a launch waits by default for a configured plugin that is not registered yet. */
    static final long DEFAULT_PLUGIN_WAIT_SECONDS = 30;

    AgentSettings {
        isolation = List.copyOf(isolation);
        imageProviders = List.copyOf(imageProviders);
    }

    AgentSettings(List<String> isolation, String launcher, List<String> imageProviders, String sandboxDirectory,
            String imageBackend) {
        this(isolation, launcher, imageProviders, sandboxDirectory, imageBackend, DEFAULT_PLUGIN_WAIT_SECONDS);
    }

    /** Splits a comma list, trimming blanks: "a, b,," is [a, b]. */
    static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
