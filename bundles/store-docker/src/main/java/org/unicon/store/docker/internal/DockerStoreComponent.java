package org.unicon.store.docker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.model.Image;
import org.unicon.model.ImageSummary;
import org.unicon.store.ImageStore;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * Registers the Docker {@link ImageStore} ({@code unicon.store.type=DOCKER}) configured by
 * Mesos's flag names; a configuration change replaces the store (Declarative Services
 * deactivates and activates the component).
 */
@Component(service = ImageStore.class, configurationPid = DockerStoreComponent.PID,
        property = ImageStore.TYPE + "=DOCKER")
@Designate(ocd = DockerStoreComponent.Config.class)
public final class DockerStoreComponent implements ImageStore {
    public static final String PID = "unicon.store.docker";

    /** Declarative Services turns {@code __} in a method name into {@code _}. */
    @ObjectClassDefinition(name = "Unicon Docker image store", description = "Where Docker images come from and where they are kept")
    public @interface Config {
        @AttributeDefinition(description = "A registry URL (http://127.0.0.1:5000, https://registry-1.docker.io) or an"
                + " absolute directory of docker save / OCI archives named NAME:TAG.tar")
        String docker__registry() default "https://registry-1.docker.io";

        @AttributeDefinition(description = "Where the store keeps layers and image records")
        String docker__store__dir() default "/var/lib/unicon/store/docker";

        @AttributeDefinition(description = "Registry credentials: a path to a Docker config.json or the JSON itself"
                + " ({\"auths\": {\"host:port\": {\"auth\": \"base64(user:password)\"}}}); empty for none")
        String docker__config() default "";
    }

    private DockerStore store;

    @Activate
    void activate(Config config) throws IOException {
        this.store = new DockerStore(Path.of(config.docker__store__dir()), config.docker__registry().trim(),
                credentials(config.docker__config()), RetryPolicy.defaults(), Clock.systemUTC());
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    /** docker_config is inline JSON when it starts with '{', else a file path. */
    static RegistryCredentials credentials(String dockerConfig) throws IOException {
        String value = dockerConfig == null ? "" : dockerConfig.trim();
        if (value.isEmpty()) {
            return RegistryCredentials.NONE;
        }
        if (value.startsWith("{")) {
            return RegistryCredentials.parse(value, "docker_config");
        }
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new PullException("docker_config " + p + " is not a file (give a path or the JSON itself)");
        }
        return RegistryCredentials.parse(Files.readString(p), "docker_config " + p);
    }

    @Override
    public StoredImage get(Image image, PullProgress progress) throws Exception {
        return store.get(image, progress);
    }

    @Override
    public List<ImageSummary> images() throws Exception {
        return store.images();
    }

    @Override
    public void recover() throws Exception {
        store.recover();
    }

    @Override
    public void prune(List<Image> excluded, Set<Path> layersInUse) throws Exception {
        store.prune(excluded, layersInUse);
    }
}
