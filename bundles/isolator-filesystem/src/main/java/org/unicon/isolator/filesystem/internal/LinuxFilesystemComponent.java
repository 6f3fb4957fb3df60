package org.unicon.isolator.filesystem.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;

/**
 * Registers {@link LinuxFilesystem} as {@code filesystem/linux}. It reads the agent's own
 * configuration ({@value #AGENT_PID}, owned and described by the core) for {@code runtime_dir},
 * and keeps each container's /etc files in {@code <runtime_dir>/isolators/filesystem/linux/<id>/}
 * (like Mesos's {@code /var/run/mesos/isolators/...}): they live as long as the container's
 * processes and are gone after a reboot, as the containers are.
 */
@Component(service = Isolator.class, configurationPid = LinuxFilesystemComponent.AGENT_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@IsolatorProperties(name = "filesystem/linux")
public class LinuxFilesystemComponent implements Isolator {
    static final String AGENT_PID = "unicon.agent";

    /** The part of the agent's configuration this isolator reads (the core's metatype describes it). */
    public @interface AgentConfig {
        String runtime__dir() default "/run/unicon";
    }

    private LinuxFilesystem isolator;

    @Activate
    void activate(AgentConfig config) {
        isolator = new LinuxFilesystem(stateRoot(Path.of(config.runtime__dir())), Path.of("/etc/resolv.conf"),
                LinuxFilesystemComponent::hostHostname);
    }

    static Path stateRoot(Path runtimeDir) {
        return runtimeDir.resolve("isolators").resolve("filesystem").resolve("linux");
    }

    /** The kernel's hostname of the host (no DNS lookup, unlike InetAddress). */
    static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        isolator.recover(containers, orphans);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return isolator.prepare(container);
    }

    @Override
    public void cleanup(ContainerID id) throws Exception {
        isolator.cleanup(id);
    }
}
