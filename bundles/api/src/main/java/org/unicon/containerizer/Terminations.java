package org.unicon.containerizer;

import org.unicon.model.ContainerTermination;
import org.unicon.model.TaskResourceLimitation;
import org.unicon.model.agent.Response;

/** How a container's termination reads in Mesos's v1 API. */
public final class Terminations {
    private Terminations() {}

    /** Mesos's WAIT_CONTAINER answer; {@code exit_status} stays the raw wait(2) status. */
    public static Response.WaitContainer waitContainer(ContainerTermination termination) {
        Response.WaitContainer.Builder wait = Response.WaitContainer.newBuilder();
        if (termination.hasStatus()) {
            wait.setExitStatus(termination.getStatus());
        }
        if (termination.hasState()) {
            wait.setState(termination.getState());
        }
        if (termination.hasReason()) {
            wait.setReason(termination.getReason());
        }
        if (termination.hasMessage()) {
            wait.setMessage(termination.getMessage());
        }
        if (termination.getLimitedResourcesCount() > 0) {
            wait.setLimitation(TaskResourceLimitation.newBuilder().addAllResources(termination.getLimitedResourcesList()));
        }
        return wait.build();
    }
}
