package org.unicon.isolator.docker.runtime.internal;

import java.util.Optional;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Image;
import org.unicon.model.ImageRuntimeConfig;

/**
 * {@code docker/runtime}: runs a container with an image the way the image says, as Mesos
 * does. Its contribution, for a container whose config has {@code image_config}: the command
 * ({@link ImageCommand}), the image's environment ({@link ImageEnvironment}) and, when the
 * image has one, its WorkingDir (otherwise the core's default applies: the sandbox directory).
 * Containers without an image, or with an appc image, get nothing.
 *
 * <p>The image's User is not applied, as in Mesos (which logs it as not supported): the
 * container runs as {@code CommandInfo.user}, else as the agent's user (root). Applying it would
 * need the core, since only the core may set the launch's user.
 */
final class DockerRuntime implements Isolator {
    private static final System.Logger LOG = System.getLogger(DockerRuntime.class.getName());

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        ContainerConfig config = container.config();
        if (!config.hasImageConfig()
                || config.getContainerInfo().getMesos().getImage().getType() != Image.Type.DOCKER) {
            return Optional.empty(); // no image, or an appc image: appc/runtime's
        }
        String id = container.containerId().getValue();
        ImageRuntimeConfig image = config.getImageConfig();
        ContainerLaunchInfo.Builder info = ContainerLaunchInfo.newBuilder()
                .setCommand(ImageCommand.resolve(config.getCommandInfo(), image))
                .setEnvironment(ImageEnvironment.of(image.getEnvList(), entry -> LOG.log(System.Logger.Level.WARNING,
                        "container ''{0}'': skipped the image''s environment entry ''{1}'': it is not NAME=VALUE",
                        id, entry)));
        String workingDir = image.getWorkingDir();
        if (!workingDir.isEmpty()) {
            info.setWorkingDirectory(workingDir.startsWith("/") ? workingDir : "/" + workingDir);
        }
        if (!image.getUser().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "container ''{0}'': the image''s user ''{1}'' is not applied (as in"
                    + " Mesos); it runs as {2}", id, image.getUser(),
                    config.hasUser() ? "'" + config.getUser() + "'" : "the agent's user");
        }
        return Optional.of(info.build());
    }
}
