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
import org.unicon.model.Image;
import org.unicon.model.agent.Call;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;

/**
 * Picks the plugins a launch will use from what is registered now and what the agent is
 * configured with, or says exactly what is missing. Runs before anything is created.
 */
final class LaunchPlanner {
    /** Backends in the order the core prefers them when none is configured. */
    static final List<String> BACKEND_PREFERENCE = List.of("overlay", "aufs", "copy");

    private final PluginRegistry plugins;
    private final AgentSettings settings;
    private final Paths paths;

    LaunchPlanner(PluginRegistry plugins, AgentSettings settings, Paths paths) {
        this.plugins = plugins;
        this.settings = settings;
        this.paths = paths;
    }

    LaunchPipeline.Plan plan(Call.LaunchContainer request) throws ContainerizerException {
        Plugin<Launcher> launcher = plugins.launchers.get(settings.launcher()).orElseThrow(() -> failed(
                "launcher '" + settings.launcher() + "' is not installed; installed launchers: "
                        + names(plugins.launchers.all())));
        List<Plugin<Isolator>> isolators = isolators();
        Optional<Plugin<ImageStore>> store = Optional.empty();
        Optional<Plugin<ProvisionerBackend>> backend = Optional.empty();
        if (request.getContainer().getMesos().hasImage()) {
            Image image = request.getContainer().getMesos().getImage();
            String type = image.getType().name();
            if (!settings.imageProviders().contains(type)) {
                throw failed("container '" + request.getContainerId().getValue() + "' has a " + Images.describe(image)
                        + ", but image_providers does not include " + type + " (it is '"
                        + String.join(",", settings.imageProviders()) + "')");
            }
            store = Optional.of(plugins.stores.get(type).orElseThrow(() -> failed(
                    "no image store for " + type + " images is installed (installed stores: "
                            + names(plugins.stores.all()) + ")")));
            backend = Optional.of(backend());
        }
        return new LaunchPipeline.Plan(launcher, isolators, store, backend);
    }

    /** The configured isolators, ordered by their dependencies. */
    List<Plugin<Isolator>> isolators() throws ContainerizerException {
        Map<String, List<String>> available = new LinkedHashMap<>();
        for (Plugin<Isolator> plugin : plugins.isolators.all()) {
            available.putIfAbsent(plugin.name(), plugin.requires());
        }
        List<String> order;
        try {
            order = IsolatorGraph.order(settings.isolation(), available);
        } catch (IsolatorGraph.InvalidIsolation e) {
            throw failed("the agent's isolation setting cannot be used: " + e.getMessage());
        }
        List<Plugin<Isolator>> out = new ArrayList<>();
        for (String name : order) {
            out.add(plugins.isolators.get(name).orElseThrow(() -> failed("isolator '" + name + "' went away")));
        }
        return out;
    }

    private Plugin<ProvisionerBackend> backend() throws ContainerizerException {
        List<String> reasons = new ArrayList<>();
        for (String name : BACKEND_PREFERENCE) {
            Optional<Plugin<ProvisionerBackend>> candidate = plugins.backends.get(name);
            if (candidate.isEmpty()) {
                continue;
            }
            Optional<String> unavailable = candidate.get().service().unavailable(paths.provisionerContainers());
            if (unavailable.isEmpty()) {
                return candidate.get();
            }
            reasons.add(name + ": " + unavailable.get());
        }
        throw failed("no provisioner backend can be used (installed: " + names(plugins.backends.all())
                + (reasons.isEmpty() ? "" : "; " + String.join("; ", reasons)) + ")");
    }

    private static String names(List<? extends Plugin<?>> all) {
        return all.isEmpty() ? "none" : String.join(", ", all.stream().map(Plugin::name).distinct().toList());
    }

    private static ContainerizerException failed(String message) {
        return new ContainerizerException(Kind.FAILED, message);
    }
}
