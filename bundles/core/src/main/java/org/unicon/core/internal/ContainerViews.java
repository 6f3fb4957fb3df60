package org.unicon.core.internal;

import org.unicon.containerizer.ContainerizerException;
import org.unicon.containerizer.Terminations;
import org.unicon.model.ContainerState;
import org.unicon.model.agent.Response;

/** How a container is shown to API clients (GET_CONTAINERS, WAIT_CONTAINER). */
final class ContainerViews {
    private static final System.Logger LOG = System.getLogger(ContainerViews.class.getName());

    private ContainerViews() {}

    static Response.GetContainers.Container describe(ContainerizerCore core, Container container) {
        Response.GetContainers.Container.Builder view = Response.GetContainers.Container.newBuilder()
                .setContainerId(container.id);
        ContainerState state = container.state();
        view.setState(state);
        synchronized (container) {
            if (container.config != null) {
                if (container.config.hasContainerInfo()) {
                    view.setContainerInfo(container.config.getContainerInfo());
                }
                view.setCommand(container.config.getCommandInfo());
            }
        }
        if (state == ContainerState.TERMINATED) {
            view.setTermination(Terminations.waitContainer(container.termination.join()));
        } else if (state == ContainerState.RUNNING) {
            try {
                view.setContainerStatus(core.status(container.id));
                view.setResourceStatistics(core.usage(container.id));
            } catch (ContainerizerException e) {
                // A container can end between the state check and the calls; show what is known.
                LOG.log(System.Logger.Level.DEBUG, "container {0}: no status: {1}", container.name, e.getMessage());
            }
        }
        return view.build();
    }
}
