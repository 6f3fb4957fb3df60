package org.unicon.isolator.appc.runtime.internal;

import java.util.Optional;
import java.util.Set;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;
import org.unicon.model.Image;
import org.unicon.model.ImageRuntimeConfig;

/**
 * {@code appc/runtime}: runs a container with an appc image the way the image's manifest says
 * ({@code app}), as Mesos's appc/runtime does and with docker/runtime's precedence. The appc
 * store normalises the app into the container's {@code image_config}; the contribution, for a
 * container whose image is of type APPC: the command ({@link AppExec}), the app's environment
 * (the core puts it above its defaults, PATH included, and below {@code CommandInfo.environment})
 * and, when the app has one, its working directory (otherwise the core's default: the sandbox).
 * Containers without an appc image (none, or a Docker one) get nothing.
 *
 * <p>The app's user and group are not applied, as docker/runtime does not apply a Docker
 * image's User: only the core may set the launch's user (from {@code CommandInfo.user}, else the
 * agent's). A user other than root is logged.
 */
final class AppcRuntime implements Isolator {
    private static final System.Logger LOG = System.getLogger(AppcRuntime.class.getName());
    private static final Set<String> ROOT = Set.of("0:0", "root:root", "root:0", "0:root");

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) {
        ContainerConfig config = container.config();
        Image image = config.getContainerInfo().getMesos().getImage();
        if (!config.hasImageConfig() || !image.hasType() || image.getType() != Image.Type.APPC) {
            return Optional.empty();
        }
        String id = container.containerId().getValue();
        ImageRuntimeConfig app = config.getImageConfig();
        ContainerLaunchInfo.Builder info = ContainerLaunchInfo.newBuilder()
                .setCommand(AppExec.resolve(config.getCommandInfo(), app))
                .setEnvironment(environment(app, id));
        if (!app.getWorkingDir().isEmpty()) {
            String dir = app.getWorkingDir();
            info.setWorkingDirectory(dir.startsWith("/") ? dir : "/" + dir);
        }
        if (!app.getUser().isEmpty() && (config.hasUser() || !ROOT.contains(app.getUser()))) {
            LOG.log(System.Logger.Level.INFO, "container ''{0}'': the appc image''s user:group ''{1}'' is not applied"
                    + " (as docker/runtime does not apply a Docker image''s user); it runs as {2}", id, app.getUser(),
                    config.hasUser() ? "'" + config.getUser() + "'" : "the agent's user");
        }
        return Optional.of(info.build());
    }

    /** The app's NAME=value pairs as variables, in the manifest's order. */
    private static Environment environment(ImageRuntimeConfig app, String id) {
        Environment.Builder environment = Environment.newBuilder();
        for (String entry : app.getEnvList()) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                LOG.log(System.Logger.Level.WARNING, "container ''{0}'': skipped the image''s environment entry"
                        + " ''{1}'': it is not NAME=VALUE", id, entry);
                continue;
            }
            environment.addVariables(Environment.Variable.newBuilder().setName(entry.substring(0, equals))
                    .setType(Environment.Variable.Type.VALUE).setValue(entry.substring(equals + 1)));
        }
        return environment.build();
    }
}
