package org.unicon.launcher.linux.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;

/**
 * Registers the {@link LinuxLauncher} as the launcher named {@code linux}. Its configuration is
 * the agent's ({@code unicon.agent}, for {@code runtime_dir}: the launcher keeps its runtime state
 * root under {@code <runtime_dir>/launcher-linux}, so two agents never see each other's
 * containers) merged with its own PID {@code unicon.launcher.linux}, which wins; both must exist.
 * A configuration change replaces the launcher (containers keep running and are recovered).
 */
@Component(service = Launcher.class, property = Launcher.NAME + "=linux",
        configurationPid = {"unicon.agent", LinuxLauncherComponent.Config.PID},
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class LinuxLauncherComponent implements Launcher {

    /**
     * Declarative Services turns {@code __} in a method name into {@code _}. (The metatype is
     * designated through the OCD's {@code pid}: {@code @Designate} allows only single-PID components.)
     */
    @ObjectClassDefinition(pid = Config.PID, name = "Unicon linux launcher", description = "Runs containers with an OCI runtime under conmon")
    public @interface Config {
        String PID = "unicon.launcher.linux";

        @AttributeDefinition(description = "The OCI runtime: runc, crun, or auto (crun if it runs containers on"
                + " this host, else runc)")
        String runtime() default "auto";

        @AttributeDefinition(description = "The runtime binary for runtime=runc or crun; empty: found in PATH")
        String runtime__path() default "";

        @AttributeDefinition(description = "The conmon binary; empty: found in PATH")
        String conmon__path() default "";

        @AttributeDefinition(description = "Containers' cgroups are /<cgroups_root>/<container id> in every hierarchy")
        String cgroups__root() default "unicon";

        @AttributeDefinition(description = "The agent's runtime directory (normally taken from unicon.agent)")
        String runtime__dir() default "/run/unicon";
    }

    private LinuxLauncher launcher;

    @Activate
    void activate(Config config) throws Exception {
        Path state = Path.of(config.runtime__dir()).resolve("launcher-linux");
        RuntimeCli runtime = RuntimeChoice.choose(config.runtime(), config.runtime__path(), state, config.cgroups__root());
        Path conmon = RuntimeChoice.binary("conmon", config.conmon__path())
                .orElseThrow(() -> new IllegalArgumentException("no conmon binary was found"
                        + (config.conmon__path().isBlank() ? " in PATH" : " at " + config.conmon__path())));
        launcher = new LinuxLauncher(runtime, conmon, config.cgroups__root());
    }

    @Deactivate
    void deactivate() {
        launcher.close();
    }

    @Override
    public long create(LaunchRequest request) throws Exception {
        return launcher.create(request);
    }

    @Override
    public void start(ContainerID id) throws Exception {
        launcher.start(id);
    }

    @Override
    public CompletionStage<Integer> exit(ContainerID id) {
        return launcher.exit(id);
    }

    @Override
    public void kill(ContainerID id, int signal) throws Exception {
        launcher.kill(id, signal);
    }

    @Override
    public void destroy(ContainerID id) throws Exception {
        launcher.destroy(id);
    }

    @Override
    public Set<ContainerID> recover(List<LaunchedContainer> containers) throws Exception {
        return launcher.recover(containers);
    }

    @Override
    public ContainerStatus status(ContainerID id) throws Exception {
        return launcher.status(id);
    }
}
