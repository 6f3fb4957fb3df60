package org.unicon.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.containerizer.Containerizer;
import org.unicon.hostfs.CrashPoint;
import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;

/**
 * Registers the {@link Containerizer} and feeds it the plugin services as they come and go.
 * It waits for its configuration (runtime/etc/unicon.agent.cfg): starting on defaults before the
 * file is read could recover another agent's containers from the default directories.
 * Settings that affect new launches change live. The work and runtime directories hold the
 * containers' state: they can move while the containerizer holds no container (it then
 * recovers from the new place); otherwise the change is refused and the previous configuration
 * stays in force until the agent restarts.
 */
@Component(service = Containerizer.class, configurationPid = ContainerizerComponent.PID, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ContainerizerComponent.Config.class)
public final class ContainerizerComponent extends ForwardingContainerizer {
    public static final String PID = "unicon.agent";
    private static final System.Logger LOG = System.getLogger(ContainerizerComponent.class.getName());

    /**
     * Property names are Mesos's agent flags ({@code work_dir}); Declarative Services turns a
     * double underscore in a method name into one underscore (a single one would become a dot).
     */
    @ObjectClassDefinition(name = "Unicon agent", description = "The containerizer's settings (Mesos agent flag names)")
    public @interface Config {
        @AttributeDefinition(description = "Where sandboxes, provisioned root filesystems and images live")
        String work__dir() default "/var/lib/unicon";

        @AttributeDefinition(description = "Where container checkpoints live; cleared by a reboot (tmpfs)")
        String runtime__dir() default "/run/unicon";

        @AttributeDefinition(description = "Comma-separated isolator names, e.g. cgroups/cpu,cgroups/mem; empty for none")
        String isolation() default "";

        @AttributeDefinition(description = "The launcher that creates container processes: posix or linux")
        String launcher() default "posix";

        @AttributeDefinition(description = "Comma-separated image types the agent accepts: DOCKER, APPC; empty for none")
        String image__providers() default "";

        @AttributeDefinition(description = "Where the sandbox appears inside containers that have an image")
        String sandbox__directory() default "/mnt/mesos/sandbox";

        @AttributeDefinition(description = "The backend that makes root filesystems (overlay, aufs, copy, bind);"
                + " empty picks the first of overlay, aufs, copy that works where the store keeps the layers")
        String provisioner__image__backend() default "";

        @AttributeDefinition(description = "Destroy every container when the agent stops (false: they keep"
                + " running and the next agent recovers them, as in Mesos). Also set by `unicon agent --stop-containers`")
        boolean stop__containers__on__shutdown() default false;

        @AttributeDefinition(description = "How long a launch waits for a configured launcher, isolator or image"
                + " store that is not registered (yet: the agent is starting, or the bundle is being upgraded) before"
                + " it fails; 0 fails at once")
        long plugin__wait__seconds() default AgentSettings.DEFAULT_PLUGIN_WAIT_SECONDS;

        @AttributeDefinition(description = "The file holding the kernel's boot id; when it differs from the one the"
                + " agent recorded, the machine rebooted and every container is reported lost")
        String boot__id__file() default "/proc/sys/kernel/random/boot_id";
    }

    /** Framework property that {@code unicon agent --stop-containers} sets; overrides the configuration. */
    static final String STOP_CONTAINERS_PROPERTY = "unicon.agent.stop_containers";

    /** How long stopping the agent waits for its containers to be destroyed. */
    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final PluginRegistry plugins = new PluginRegistry();
    /**
     * Runs the destructions that may wait (for a plugin, or for the launch step in progress): one
     * thread each, so that one waiting holds up no other; the others run on the core's bounded
     * pool. Threads idle for {@value ContainerizerCore#IDLE_THREAD_SECONDS} s end (a cached pool
     * keeps them a minute).
     */
    private final ExecutorService executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
            ContainerizerCore.IDLE_THREAD_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), ContainerizerCore.daemonThreads("unicon-containerizer-"));
    /** Where plugins arrive (and recover) and leave, off the threads DS binds them on. */
    private final PluginArrivals arrivals = new PluginArrivals();
    private volatile Config config;

    private BundleContext context;
    /** Explains missing plugins whose bundles are there; keeps what it read of them. */
    private UnresolvedPlugins unresolved;

    /** Config Admin, to put the last accepted configuration back when a new one is refused. */
    @Reference
    private ConfigurationAdmin configurationAdmin;

    /** The configuration properties in force (the last ones accepted). */
    private Map<String, Object> accepted;

    @Activate
    void activate(Config config, BundleContext context, Map<String, Object> properties) throws Exception {
        this.context = context;
        this.unresolved = new UnresolvedPlugins(context);
        this.accepted = properties;
        CrashPoint.problem().ifPresent(problem -> LOG.log(System.Logger.Level.WARNING, problem));
        delegate(arrivals.now(() -> start(config)));
        this.config = config;
        context.addBundleListener(frameworkStop);
    }

    /**
     * Applies an edited configuration, or refuses it. Config Admin has stored the new properties
     * before this runs, and SCR would activate the next instance of this component (a bundle
     * update, a refresh) with them: so a refused configuration is replaced in Config Admin by the
     * last accepted one (the operator's .cfg file is left as written; FileInstall does not save
     * into it), and the refusal is thrown for SCR to log.
     */
    @Modified
    synchronized void modified(Config next, Map<String, Object> properties) throws Exception {
        try {
            apply(next);
            accepted = properties;
        } catch (IllegalArgumentException e) {
            restoreAccepted();
            throw e;
        }
    }

    private void restoreAccepted() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + PID + ")");
            if (found == null || found.length == 0) {
                return;
            }
            Dictionary<String, Object> previous = new Hashtable<>();
            accepted.forEach((key, value) -> {
                if (!key.startsWith("component.")) {
                    previous.put(key, value);
                }
            });
            found[0].updateIfDifferent(previous);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.log(System.Logger.Level.ERROR, "unicon.agent: could not put the accepted configuration back into"
                    + " Config Admin: {0}", e.getMessage());
        }
    }

    private void apply(Config next) throws Exception {
        AgentSettings settings = settings(next);
        Config current = config;
        ContainerizerCore core = delegate();
        if (next.work__dir().equals(current.work__dir()) && next.runtime__dir().equals(current.runtime__dir())) {
            core.settings(settings);
        } else if (core.table().isEmpty()) {
            ContainerizerCore moved = arrivals.now(() -> start(next));
            core.close();
            delegate(moved);
        } else {
            throw new IllegalArgumentException("unicon.agent: work_dir and runtime_dir cannot change while the"
                    + " containerizer holds containers (" + core.table().size() + "); still using work_dir="
                    + current.work__dir() + " runtime_dir=" + current.runtime__dir() + " until the agent restarts");
        }
        config = next;
    }

    /** As the containerizer reports them, with why a configured plugin whose bundle is there is missing. */
    @Override
    public List<org.unicon.model.PluginInfo> plugins() {
        return unresolved.explain(super.plugins());
    }

    /**
     * Containers keep running when the agent stops, unless it was asked to stop them: then,
     * and only when the whole framework stops (not when this bundle is updated or reconfigured),
     * every container is destroyed first (see {@link #frameworkStop}).
     */
    @Deactivate
    void deactivate() {
        context.removeBundleListener(frameworkStop);
        delegate().close();
        arrivals.close();
        executor.shutdownNow();
    }

    /**
     * Hears the framework begin to stop, before any bundle stops, so the plugins are all still
     * there to destroy the containers with.
     */
    private final SynchronousBundleListener frameworkStop = event -> {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING
                && (config.stop__containers__on__shutdown()
                        || Boolean.parseBoolean(context.getProperty(STOP_CONTAINERS_PROPERTY)))) {
            delegate().destroyAll(STOP_TIMEOUT_SECONDS);
        }
    };

    private ContainerizerCore start(Config config) throws IOException {
        ContainerizerCore core = new ContainerizerCore(new Paths(Path.of(config.work__dir()),
                Path.of(config.runtime__dir())), plugins, settings(config), executor);
        new Recovery(core, Path.of(config.boot__id__file())).run();
        return core;
    }

    /** Validates a configuration; a bad one is refused and the previous one stays in force. */
    static AgentSettings settings(Config config) {
        requireAbsolute("work_dir", config.work__dir());
        requireAbsolute("runtime_dir", config.runtime__dir());
        requireAbsolute("sandbox_directory", config.sandbox__directory());
        if (config.launcher().isBlank()) {
            throw new IllegalArgumentException("unicon.agent: launcher is empty; name a launcher such as posix");
        }
        List<String> providers = AgentSettings.list(config.image__providers());
        List<String> normalised = new ArrayList<>();
        for (String provider : providers) {
            String upper = provider.toUpperCase(java.util.Locale.ROOT);
            if (!upper.equals("DOCKER") && !upper.equals("APPC")) {
                throw new IllegalArgumentException("unicon.agent: image_providers has '" + provider
                        + "'; the image types are DOCKER and APPC");
            }
            normalised.add(upper);
        }
        List<String> isolation = AgentSettings.list(config.isolation());
        List<String> filesystems = isolation.stream().filter(name -> name.startsWith("filesystem/")).toList();
        if (filesystems.size() > 1) {
            throw new IllegalArgumentException("unicon.agent: isolation names " + String.join(" and ", filesystems)
                    + "; a container has exactly one filesystem isolator");
        }
        String launcher = config.launcher().trim();
        requireImageSupport(normalised, isolation, launcher);
        if (config.plugin__wait__seconds() < 0) {
            throw new IllegalArgumentException("unicon.agent: plugin_wait_seconds is " + config.plugin__wait__seconds()
                    + "; it must be 0 or more");
        }
        return new AgentSettings(isolation, launcher, normalised, config.sandbox__directory(),
                config.provisioner__image__backend().trim(), config.plugin__wait__seconds());
    }

    /**
     * As in Mesos: containers with images need filesystem/linux and the linux launcher, Docker
     * images need docker/runtime and appc images appc/runtime to apply the image's command and
     * environment.
     */
    private static void requireImageSupport(List<String> providers, List<String> isolation, String launcher) {
        if (providers.isEmpty()) {
            return;
        }
        String given = "image_providers is '" + String.join(",", providers) + "'";
        List<String> missing = new ArrayList<>();
        if (!isolation.contains("filesystem/linux")) {
            missing.add("filesystem/linux");
        }
        if (providers.contains("DOCKER") && !isolation.contains("docker/runtime")) {
            missing.add("docker/runtime");
        }
        if (providers.contains("APPC") && !isolation.contains("appc/runtime")) {
            missing.add("appc/runtime");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("unicon.agent: " + given + ", which needs " + String.join(" and ", missing)
                    + " in isolation (it is '" + String.join(",", isolation) + "')");
        }
        if (!launcher.equals("linux")) {
            throw new IllegalArgumentException("unicon.agent: " + given + ", which needs launcher=linux (it is '"
                    + launcher + "')");
        }
    }

    private static void requireAbsolute(String key, String value) {
        if (value == null || !Path.of(value).isAbsolute()) {
            throw new IllegalArgumentException("unicon.agent: " + key + " must be an absolute path, not '" + value + "'");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedIsolator")
    void addIsolator(Isolator isolator, ServiceReference<Isolator> ref) {
        Plugin<Isolator> plugin = isolatorPlugin(isolator, ref);
        arrivals.later(() -> plugins.isolators.add(plugin));
    }

    /** Its service properties changed (name, requires, version, context keys): the graph uses the new ones. */
    void updatedIsolator(Isolator isolator, ServiceReference<Isolator> ref) {
        Plugin<Isolator> plugin = isolatorPlugin(isolator, ref);
        arrivals.later(() -> plugins.isolators.replace(plugin));
    }

    private static Plugin<Isolator> isolatorPlugin(Isolator isolator, ServiceReference<Isolator> ref) {
        Plugin<Isolator> plugin = plugin(isolator, ref, Isolator.NAME, Isolator.VERSION, Isolator.REQUIRES);
        return new Plugin<>(plugin.name(), isolator, plugin.bundle(), plugin.bundleVersion(), plugin.version(),
                plugin.requires(), plugin.rank(), strings(ref.getProperty(Isolator.PRODUCES)),
                strings(ref.getProperty(Isolator.CONSUMES)));
    }

    void removeIsolator(Isolator isolator) {
        arrivals.nowQuietly(() -> plugins.isolators.remove(isolator));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedLauncher")
    void addLauncher(Launcher launcher, ServiceReference<Launcher> ref) {
        Plugin<Launcher> plugin = plugin(launcher, ref, Launcher.NAME, null, null);
        arrivals.later(() -> plugins.launchers.add(plugin));
    }

    void updatedLauncher(Launcher launcher, ServiceReference<Launcher> ref) {
        Plugin<Launcher> plugin = plugin(launcher, ref, Launcher.NAME, null, null);
        arrivals.later(() -> plugins.launchers.replace(plugin));
    }

    void removeLauncher(Launcher launcher) {
        arrivals.nowQuietly(() -> plugins.launchers.remove(launcher));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedStore")
    void addStore(ImageStore store, ServiceReference<ImageStore> ref) {
        Plugin<ImageStore> plugin = plugin(store, ref, ImageStore.TYPE, null, null);
        arrivals.later(() -> plugins.stores.add(plugin));
    }

    void updatedStore(ImageStore store, ServiceReference<ImageStore> ref) {
        Plugin<ImageStore> plugin = plugin(store, ref, ImageStore.TYPE, null, null);
        arrivals.later(() -> plugins.stores.replace(plugin));
    }

    void removeStore(ImageStore store) {
        arrivals.nowQuietly(() -> plugins.stores.remove(store));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedBackend")
    void addBackend(ProvisionerBackend backend, ServiceReference<ProvisionerBackend> ref) {
        Plugin<ProvisionerBackend> plugin = plugin(backend, ref, ProvisionerBackend.NAME, null, null);
        arrivals.later(() -> plugins.backends.add(plugin));
    }

    void updatedBackend(ProvisionerBackend backend, ServiceReference<ProvisionerBackend> ref) {
        Plugin<ProvisionerBackend> plugin = plugin(backend, ref, ProvisionerBackend.NAME, null, null);
        arrivals.later(() -> plugins.backends.replace(plugin));
    }

    void removeBackend(ProvisionerBackend backend) {
        arrivals.nowQuietly(() -> plugins.backends.remove(backend));
    }

    private static <T> Plugin<T> plugin(T service, ServiceReference<T> ref, String nameKey, String versionKey,
            String requiresKey) {
        Bundle bundle = ref.getBundle();
        String bundleVersion = bundle == null ? "" : bundle.getVersion().toString();
        Object name = ref.getProperty(nameKey);
        Object version = versionKey == null ? null : ref.getProperty(versionKey);
        List<String> requires = requiresKey == null ? List.of() : strings(ref.getProperty(requiresKey));
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        long serviceId = (Long) ref.getProperty(Constants.SERVICE_ID);
        long rank = (ranking instanceof Integer r ? -((long) r << 32) : 0) + serviceId;
        return new Plugin<>(name == null ? "(unnamed " + service.getClass().getName() + ")" : name.toString(),
                service, bundle == null ? "" : bundle.getSymbolicName(), bundleVersion,
                version == null ? bundleVersion : version.toString(), requires, rank);
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return AgentSettings.list(s);
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Iterable<?> iterable) {
            List<String> out = new ArrayList<>();
            iterable.forEach(v -> out.add(v.toString()));
            return out;
        }
        return List.of();
    }

}
