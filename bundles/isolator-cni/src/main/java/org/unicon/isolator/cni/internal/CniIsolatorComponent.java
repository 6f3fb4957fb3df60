package org.unicon.isolator.cni.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerStatus;

/**
 * Registers {@link CniIsolator} as {@code network/cni}. It comes after filesystem/linux so that
 * its /etc files are mounted over the ones filesystem/linux mounts. Configured by
 * {@value CniConfig#PID} and reads {@code runtime_dir} from the agent's own configuration
 * ({@value #AGENT_PID}); it waits for both, because its recovery detaches the networks under its
 * root directory that no container owns: started on defaults, it could take another agent's.
 * A changed configuration applies to later launches; the root directory changes only with a
 * restart of the agent, since running containers' namespaces are kept there.
 */
@Component(service = Isolator.class, configurationPid = {CniIsolatorComponent.AGENT_PID, CniConfig.PID},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@IsolatorProperties(name = "network/cni", requires = "filesystem/linux")
public class CniIsolatorComponent implements Isolator {
    private static final System.Logger LOG = System.getLogger(CniIsolatorComponent.class.getName());
    static final String AGENT_PID = "unicon.agent";

    /** The part of the agent's configuration this isolator reads (the core's metatype describes it). */
    public @interface AgentConfig {
        String runtime__dir() default "/run/unicon";
    }

    private CniIsolator isolator;
    private Path root;

    /**
     * A bad configuration does not take the isolator away (which would refuse every launch, with
     * or without networks): it is logged, and launches that ask for a network fail naming it.
     */
    @Activate
    void activate(CniConfig config, AgentConfig agent) {
        CniIsolator.Settings settings;
        try {
            root = rootDir(config, agent);
            settings = settings(config);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, e.getMessage());
            root = root != null ? root : defaultRoot(agent);
            settings = CniIsolator.Settings.refused(e.getMessage());
        }
        isolator = new CniIsolator(root, settings, Path.of("/etc/resolv.conf"));
    }

    /** A bad change is refused (and logged); the configuration in force stays. */
    @Modified
    void modified(CniConfig config, AgentConfig agent) {
        CniIsolator.Settings next;
        Path wanted;
        try {
            next = settings(config);
            wanted = rootDir(config, agent);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, e.getMessage() + "; the previous configuration stays in force");
            return;
        }
        if (!wanted.equals(root)) {
            LOG.log(Level.WARNING, "network/cni keeps its root directory {0} until the agent restarts (asked: {1})",
                    root, wanted);
        }
        isolator.settings(next);
    }

    static Path rootDir(CniConfig config, AgentConfig agent) {
        String configured = config.network__cni__root__dir().strip();
        Path root = configured.isEmpty() ? defaultRoot(agent) : Path.of(configured);
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException(CniConfig.PID + ": network_cni_root_dir must be an absolute path, not '"
                    + configured + "'");
        }
        return root;
    }

    private static Path defaultRoot(AgentConfig agent) {
        return Path.of(agent.runtime__dir()).resolve("isolators").resolve("network").resolve("cni");
    }

    /** Validates a configuration; a bad value is refused with a message naming the key and the value. */
    static CniIsolator.Settings settings(CniConfig config) {
        String configDir = config.network__cni__config__dir().strip();
        if (!configDir.isEmpty() && !Path.of(configDir).isAbsolute()) {
            throw new IllegalArgumentException(CniConfig.PID + ": network_cni_config_dir must be an absolute path,"
                    + " not '" + configDir + "'");
        }
        CniPlugins plugins;
        List<HostPorts.Range> ranges;
        try {
            plugins = new CniPlugins(config.network__cni__plugins__dir());
            ranges = HostPorts.parse(config.ports());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CniConfig.PID + ": " + e.getMessage(), e);
        }
        return new CniIsolator.Settings(new NetworkConfigs(configDir.isEmpty() ? Optional.empty()
                : Optional.of(Path.of(configDir))), plugins, ranges);
    }

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) throws Exception {
        isolator.recover(containers, orphans);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return isolator.prepare(container);
    }

    @Override
    public void isolate(ContainerID id, long pid) throws Exception {
        isolator.isolate(id, pid);
    }

    @Override
    public ContainerStatus status(ContainerID id) {
        return isolator.status(id);
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        isolator.cleanup(id);
    }
}
