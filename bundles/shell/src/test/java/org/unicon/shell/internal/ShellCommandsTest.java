package org.unicon.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.unicon.containerizer.Containerizer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerState;
import org.unicon.model.ContainerStatus;
import org.unicon.model.ContainerTermination;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.ResourceStatistics;
import org.unicon.model.Value;
import org.unicon.model.agent.Call;
import org.unicon.model.agent.Response;

class ShellCommandsTest {

    @Test
    void withoutAContainerizerTheCommandsSayWhatIsWrong() {
        ShellCommands commands = new ShellCommands();

        assertEquals(ShellCommands.NO_CONTAINERIZER, commands.containers());
        assertEquals(ShellCommands.NO_CONTAINERIZER, commands.plugins());
    }

    @Test
    void commandsPrintWhatTheContainerizerReports() {
        ShellCommands commands = new ShellCommands(new ListingContainerizer());

        assertEquals("ID  STATE    IMAGE  EXIT  MESSAGE\nc1  RUNNING  -      -\n", commands.containers());
        assertTrue(commands.plugins().startsWith("KIND      NAME   STATUS  BUNDLE"), commands.plugins());
    }

    @Test
    void gogoFindsAPublicMethodForEveryDeclaredFunction() throws Exception {
        for (String function : new String[] {"containers", "plugins"}) {
            Method method = ShellCommands.class.getMethod(function);
            assertEquals(String.class, method.getReturnType());
        }
    }

    /**
     * Stands in for the core's containerizer (written at the same time by another developer):
     * the commands only read its two listings.
     */
    static final class ListingContainerizer implements Containerizer {
        @Override
        public List<Response.GetContainers.Container> containers() {
            return List.of(Response.GetContainers.Container.newBuilder()
                    .setContainerId(ContainerID.newBuilder().setValue("c1")).setState(ContainerState.RUNNING).build());
        }

        @Override
        public List<PluginInfo> plugins() {
            return List.of(PluginInfo.newBuilder().setKind(PluginInfo.Kind.LAUNCHER).setName("posix")
                    .setStatus(PluginInfo.Status.IN_USE).setBundle("org.unicon.launcher.posix").build());
        }

        @Override
        public org.unicon.model.ImageSummary pull(org.unicon.model.Image image, org.unicon.store.PullProgress progress) {
            throw new UnsupportedOperationException("not used by the shell");
        }

        @Override
        public List<org.unicon.model.ImageSummary> images() {
            return List.of();
        }

        @Override
        public void prune(List<org.unicon.model.Image> excluded) {
            throw new UnsupportedOperationException("not used by the shell");
        }

        @Override
        public LaunchResult launch(Call.LaunchContainer request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<CompletionStage<ContainerTermination>> wait(ContainerID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean kill(ContainerID id, int signal) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<CompletionStage<ContainerTermination>> destroy(ContainerID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void remove(ContainerID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResourceStatistics usage(ContainerID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ContainerStatus status(ContainerID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Path> sandbox(ContainerID id) {
            throw new UnsupportedOperationException();
        }
    }
}
