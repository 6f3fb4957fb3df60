package org.unicon.cli.internal;

import org.unicon.model.ContainerID;
import org.unicon.model.agent.Call;

/** The calls that name one container. */
final class ContainerCalls {

    private ContainerCalls() {
    }

    static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    static Call waitCall(String id) {
        return Call.newBuilder()
                .setType(Call.Type.WAIT_CONTAINER)
                .setWaitContainer(Call.WaitContainer.newBuilder().setContainerId(id(id)))
                .build();
    }

    /** KILL_CONTAINER; without a signal the agent sends SIGKILL. */
    static Call killCall(String id, Integer signal) {
        Call.KillContainer.Builder kill = Call.KillContainer.newBuilder().setContainerId(id(id));
        if (signal != null) {
            kill.setSignal(signal);
        }
        return Call.newBuilder().setType(Call.Type.KILL_CONTAINER).setKillContainer(kill).build();
    }

    static Call removeCall(String id) {
        return Call.newBuilder()
                .setType(Call.Type.REMOVE_CONTAINER)
                .setRemoveContainer(Call.RemoveContainer.newBuilder().setContainerId(id(id)))
                .build();
    }

    /** Every container the agent knows, running or terminated (standalone ones, which all of ours are). */
    static java.util.List<org.unicon.model.agent.Response.GetContainers.Container> list(AgentClient client) {
        Call call = Call.newBuilder()
                .setType(Call.Type.GET_CONTAINERS)
                .setGetContainers(Call.GetContainers.newBuilder().setShowStandalone(true))
                .build();
        return client.call(call).response().getGetContainers().getContainersList();
    }

    /** Removes a terminated container; a refusal ends the command with the agent's reason. */
    static void remove(AgentClient client, String id) {
        client.call(removeCall(id));
    }

    /** Removes what a failed launch may have left; nothing to remove is not an error here. */
    static void removeQuietly(AgentClient client, String id) {
        try {
            client.send(removeCall(id));
        } catch (CliException e) {
            // The launch failure is what the user needs to read; it is reported by the caller.
        }
    }
}
