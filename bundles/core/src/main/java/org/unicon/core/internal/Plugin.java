package org.unicon.core.internal;

import java.util.List;

/**
 * One plugin service as the core sees it: the service object and what its registration says.
 *
 * @param name the plugin's name (isolator/launcher/backend name, or a store's image type)
 * @param version the version stamped on state it checkpoints (its bundle's unless it says)
 * @param requires for isolators, the isolators that must prepare first
 * @param rank orders plugins registered under one name: the lowest rank is used
 */
public record Plugin<T>(String name, T service, String bundle, String bundleVersion, String version,
        List<String> requires, long rank) {

    public Plugin {
        requires = List.copyOf(requires);
    }
}
