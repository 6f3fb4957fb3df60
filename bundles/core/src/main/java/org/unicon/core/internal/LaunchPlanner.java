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
        Map<String, List<String>> available = new LinkedHashMap<>();
        for (Plugin<Isolator> plugin : plugins.isolators.all()) {
            available.putIfAbsent(plugin.name(), plugin.requires());
        }
        List<String> order;
        try {
            order = IsolatorGraph.order(effectiveIsolation(settings.isolation(), available.keySet()), available);
        } catch (IsolatorGraph.InvalidIsolation e) {
            throw failed("the agent's isolation setting cannot be used: " + e.getMessage());
        }
        List<Plugin<Isolator>> out = new ArrayList<>();
        for (String name : order) {
            out.add(plugins.isolators.get(name).orElseThrow(() -> failed("isolator '" + name + "' went away")));
        }
        return out;
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
