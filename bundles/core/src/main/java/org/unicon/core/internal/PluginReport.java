package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.unicon.isolator.Isolator;
import org.unicon.model.PluginInfo;

/**
 * What `unicon plugins` shows: every registered plugin with its bundle and whether the
 * configuration uses it, and every configured plugin that is missing or cannot be used.
 */
final class PluginReport {
    /** Why a plugin that has registered is not used yet. */
    static final String RECOVERING = "registered, and recovering its containers; used once it has";

    private PluginReport() {}

    static List<PluginInfo> describe(PluginRegistry plugins, AgentSettings settings) {
        List<PluginInfo> out = new ArrayList<>();
        IsolatorGraph.InvalidIsolation problem = isolationProblem(plugins, settings);
        Set<String> registeredIsolators = new TreeSet<>();
        plugins.isolators.all().forEach(p -> registeredIsolators.add(p.name()));
        List<String> isolation = LaunchPlanner.effectiveIsolation(settings.isolation(), registeredIsolators);
        for (Plugin<Isolator> isolator : plugins.isolators.all()) {
            boolean used = isolation.contains(isolator.name());
            PluginInfo.Builder info = info(PluginInfo.Kind.ISOLATOR, isolator, used);
            if (used && problem != null && problem.involved().contains(isolator.name())) {
                info.setStatus(PluginInfo.Status.UNUSABLE).setProblem(problem.getMessage());
            }
            out.add(info.build());
        }
        for (String name : settings.isolation()) {
            if (!registeredIsolators.contains(name)) {
                out.add(missing(PluginInfo.Kind.ISOLATOR, name, plugins.isolators,
                        "configured in isolation, but no bundle registers it"));
            }
        }
        plugins.launchers.all().forEach(l -> out.add(info(PluginInfo.Kind.LAUNCHER, l,
                l.name().equals(settings.launcher())).build()));
        if (plugins.launchers.get(settings.launcher()).isEmpty()) {
            out.add(missing(PluginInfo.Kind.LAUNCHER, settings.launcher(), plugins.launchers,
                    "configured as launcher, but no bundle registers it"));
        }
        plugins.stores.all().forEach(s -> out.add(info(PluginInfo.Kind.IMAGE_STORE, s,
                settings.imageProviders().contains(s.name())).build()));
        for (String type : settings.imageProviders()) {
            if (plugins.stores.get(type).isEmpty()) {
                out.add(missing(PluginInfo.Kind.IMAGE_STORE, type, plugins.stores,
                        "configured in image_providers, but no bundle registers a store for it"));
            }
        }
        String backend = settings.imageBackend();
        plugins.backends.all().forEach(b -> out.add(info(PluginInfo.Kind.PROVISIONER_BACKEND, b,
                b.name().equals(backend)).build()));
        if (!backend.isEmpty() && plugins.backends.get(backend).isEmpty()) {
            out.add(missing(PluginInfo.Kind.PROVISIONER_BACKEND, backend, plugins.backends,
                    "configured as provisioner_image_backend, but no bundle registers it"));
        }
        return out;
    }

    private static IsolatorGraph.InvalidIsolation isolationProblem(PluginRegistry plugins, AgentSettings settings) {
        try {
            LaunchPlanner.order(plugins, settings);
            return null;
        } catch (IsolatorGraph.InvalidIsolation e) {
            return e;
        }
    }

    private static PluginInfo.Builder info(PluginInfo.Kind kind, Plugin<?> plugin, boolean used) {
        return PluginInfo.newBuilder()
                .setKind(kind)
                .setName(plugin.name())
                .setStatus(used ? PluginInfo.Status.IN_USE : PluginInfo.Status.AVAILABLE)
                .setBundle(plugin.bundle())
                .setBundleVersion(plugin.bundleVersion())
                .addAllRequires(plugin.requires())
                .addAllProduces(plugin.produces())
                .addAllConsumes(plugin.consumes());
    }

    /** A configured plugin that is not registered: recovering, if it has arrived, else {@code problem}. */
    private static PluginInfo missing(PluginInfo.Kind kind, String name, PluginRegistry.Kind<?> registered,
            String problem) {
        return PluginInfo.newBuilder().setKind(kind).setName(name).setStatus(PluginInfo.Status.MISSING)
                .setProblem(registered.recovering(name) ? RECOVERING : problem).build();
    }
}
