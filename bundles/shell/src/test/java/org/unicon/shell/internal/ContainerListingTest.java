package org.unicon.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerState;
import org.unicon.model.Image;
import org.unicon.model.TaskStatus;
import org.unicon.model.agent.Response;
import org.unicon.model.agent.Response.GetContainers.Container;

class ContainerListingTest {

    @Test
    void listsContainersSortedWithImageAndExit() {
        List<Container> containers = List.of(
                container("web", ContainerState.RUNNING).setContainerInfo(docker("library/redis")).build(),
                container("batch", ContainerState.TERMINATED).setContainerInfo(docker("busybox"))
                        .setTermination(Response.WaitContainer.newBuilder().setExitStatus(3 << 8)).build(),
                container("killed", ContainerState.TERMINATED)
                        .setTermination(Response.WaitContainer.newBuilder().setExitStatus(9)
                                .setMessage("Memory limit exceeded")).build(),
                container("app", ContainerState.PROVISIONING).setContainerInfo(ContainerInfo.newBuilder()
                        .setType(ContainerInfo.Type.MESOS).setMesos(ContainerInfo.MesosInfo.newBuilder()
                                .setImage(Image.newBuilder().setType(Image.Type.APPC)
                                        .setAppc(Image.Appc.newBuilder().setName("example.com/app"))))).build(),
                container("broken", ContainerState.TERMINATED).setTermination(Response.WaitContainer.newBuilder()
                        .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
                        .setMessage("image 'nosuch' not found")).build());

        assertEquals("""
                ID      STATE         IMAGE            EXIT                     MESSAGE
                app     PROVISIONING  example.com/app  -
                batch   TERMINATED    busybox          exit 3
                broken  TERMINATED    -                container launch failed  image 'nosuch' not found
                killed  TERMINATED    -                signal 9 (SIGKILL)       Memory limit exceeded
                web     RUNNING       library/redis    -
                """, ContainerListing.format(containers));
    }

    @Test
    void noContainers() {
        assertEquals("no containers\n", ContainerListing.format(List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0     | exit 0",
            "768   | exit 3",
            "15    | signal 15 (SIGTERM)",
            "139   | signal 11 (SIGSEGV), core dumped",
            "4991  | stopped by signal 19",
            "34    | signal 34",
    })
    void rawWaitStatusesReadAsAShellUserWouldReadThem(int status, String expected) {
        assertEquals(expected, ContainerListing.waitStatus(status));
    }

    static Container.Builder container(String id, ContainerState state) {
        return Container.newBuilder().setContainerId(ContainerID.newBuilder().setValue(id)).setState(state);
    }

    static ContainerInfo docker(String name) {
        return ContainerInfo.newBuilder().setType(ContainerInfo.Type.MESOS)
                .setMesos(ContainerInfo.MesosInfo.newBuilder().setImage(Image.newBuilder()
                        .setType(Image.Type.DOCKER).setDocker(Image.Docker.newBuilder().setName(name))))
                .build();
    }
}
