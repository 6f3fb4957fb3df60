package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.ContainerizerException.Kind;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.model.agent.Call;
import org.unicon.store.ImageStore;

/**
 * Picks the plugins a launch will use from what is registered now and what the agent is
 * configured with, or says exactly what is missing. Runs before anything is created.
 */
final class LaunchPlanner {
    static final String DEFAULT_FILESYSTEM = "filesystem/posix";
    private final PluginRegistry plugins;
    private final AgentSettings settings;

    LaunchPlanner(PluginRegistry plugins, AgentSettings settings) {
        this.plugins = plugins;
        this.settings = settings;
    }

    LaunchPipeline.Plan plan(Call.LaunchContainer request) throws ContainerizerException {
        Plugin<Launcher> launcher = plugins.launchers.get(settings.launcher()).orElseThrow(() -> failed(
                "launcher '" + settings.launcher() + "' is not installed; installed launchers: "
                        + Provisioner.names(plugins.launchers.all())));
        List<Plugin<Isolator>> isolators = isolators();
        Optional<Plugin<ImageStore>> store = Optional.empty();
        if (request.getContainer().getMesos().hasImage()) {
            store = Optional.of(new Provisioner(plugins, settings).store(request.getContainer().getMesos().getImage()));
        }
        return new LaunchPipeline.Plan(launcher, isolators, store);
    }

    /**
     * What the launch needs that is configured but not registered (yet): the launcher, isolators
     * named in isolation, the store for the image's type. Empty when everything is there.
     */
    List<String> missing(Call.LaunchContainer request) {
        List<String> missing = new ArrayList<>();
        if (plugins.launchers.get(settings.launcher()).isEmpty()) {
            missing.add("launcher '" + settings.launcher() + "'");
        }
        for (String name : settings.isolation()) {
            if (plugins.isolators.get(name).isEmpty()) {
                missing.add("isolator '" + name + "'");
            }
        }
        if (request.getContainer().getMesos().hasImage()) {
            String type = request.getContainer().getMesos().getImage().getType().name();
            if (settings.imageProviders().contains(type) && plugins.stores.get(type).isEmpty()) {
                missing.add("the " + type + " image store");
            }
        }
        return missing;
    }

    /** The configured isolators, ordered by their dependencies. */
    List<Plugin<Isolator>> isolators() throws ContainerizerException {
        List<String> order;
        try {
            order = order(plugins, settings);
        } catch (IsolatorGraph.InvalidIsolation e) {
            throw failed("the agent's isolation setting cannot be used: " + e.getMessage());
        }
        List<Plugin<Isolator>> out = new ArrayList<>();
        for (String name : order) {
            out.add(plugins.isolators.get(name).orElseThrow(() -> failed("isolator '" + name + "' went away")));
        }
        return out;
    }

    /** The effective isolation in prepare order, or what is wrong with it. */
    static List<String> order(PluginRegistry plugins, AgentSettings settings) throws IsolatorGraph.InvalidIsolation {
        Map<String, Plugin<Isolator>> registered = new LinkedHashMap<>();
        for (Plugin<Isolator> plugin : plugins.isolators.all()) {
            registered.putIfAbsent(plugin.name(), plugin);
        }
        List<String> wanted = effectiveIsolation(settings.isolation(), registered.keySet());
        return IsolatorGraph.order(wanted, dependencies(registered, wanted));
    }

    /**
     * Each registered isolator's dependencies: those it requires, and the wanted isolators that
     * produce the context keys it consumes. A wanted isolator consuming a key that no wanted
     * isolator produces makes the isolation unusable.
     */
    static Map<String, List<String>> dependencies(Map<String, Plugin<Isolator>> registered, List<String> wanted)
            throws IsolatorGraph.InvalidIsolation {
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        for (Plugin<Isolator> plugin : registered.values()) {
            List<String> needs = new ArrayList<>(plugin.requires());
            for (String key : plugin.consumes()) {
                List<String> producers = new ArrayList<>();
                for (String name : wanted) {
                    Plugin<Isolator> other = registered.get(name);
                    if (other != null && other != plugin && other.produces().contains(key)) {
                        producers.add(name);
                    }
                }
                if (producers.isEmpty() && wanted.contains(plugin.name())) {
                    List<String> elsewhere = registered.values().stream()
                            .filter(p -> p.produces().contains(key)).map(Plugin::name).toList();
                    throw new IsolatorGraph.InvalidIsolation("isolator '" + plugin.name() + "' consumes context key '"
                            + key + "', which no isolator in isolation produces" + (elsewhere.isEmpty() ? ""
                                    : " (" + String.join(", ", elsewhere) + " would)"), List.of(plugin.name()));
                }
                producers.stream().filter(p -> !needs.contains(p)).forEach(needs::add);
            }
            dependencies.put(plugin.name(), needs);
        }
        return dependencies;
    }

    /**
     * As in Mesos, a container gets exactly one filesystem isolator: when the operator names
     * none, filesystem/posix (the sandbox only) is added if it is installed.
     */
    static List<String> effectiveIsolation(List<String> configured, java.util.Set<String> installed) {
        boolean hasFilesystem = configured.stream().anyMatch(name -> name.startsWith("filesystem/"));
        if (hasFilesystem || !installed.contains(DEFAULT_FILESYSTEM)) {
            return configured;
        }
        List<String> withDefault = new ArrayList<>(configured);
        withDefault.add(0, DEFAULT_FILESYSTEM);
        return withDefault;
    }

    private static ContainerizerException failed(String message) {
        return new ContainerizerException(Kind.FAILED, message);
    }
}
