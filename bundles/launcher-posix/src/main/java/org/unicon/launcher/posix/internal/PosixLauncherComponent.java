package org.unicon.launcher.posix.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.unicon.launcher.LaunchRequest;
import org.unicon.launcher.LaunchedContainer;
import org.unicon.launcher.Launcher;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerStatus;

/** Registers the {@link PosixLauncher} as the launcher named {@code posix}. */
@Component(service = Launcher.class, property = Launcher.NAME + "=posix")
public class PosixLauncherComponent implements Launcher {

    private final PosixLauncher launcher = new PosixLauncher();

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
