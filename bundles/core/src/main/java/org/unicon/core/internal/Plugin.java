package org.unicon.core.internal;

import java.util.List;

/**
 * One plugin service as the core sees it: the service object and what its registration says.
 *
 * @param name the plugin's name (isolator/launcher/backend name, or a store's image type)
 * @param version the version stamped on state it checkpoints (its bundle's unless it says)
 * @param requires for isolators, the isolators that must prepare first
 * @param rank orders plugins registered under one name: the lowest rank is used
 * @param produces for isolators, the context keys it puts
 * @param consumes for isolators, the context keys it gets: it prepares after their producers
 */
public record Plugin<T>(String name, T service, String bundle, String bundleVersion, String version,
        List<String> requires, long rank, List<String> produces, List<String> consumes) {

    public Plugin {
        requires = List.copyOf(requires);
        produces = List.copyOf(produces);
        consumes = List.copyOf(consumes);
    }

    /** A plugin that declares no context keys. */
    public Plugin(String name, T service, String bundle, String bundleVersion, String version, List<String> requires,
            long rank) {
        this(name, service, bundle, bundleVersion, version, requires, rank, List.of(), List.of());
    }
}
