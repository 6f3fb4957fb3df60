package org.unicon.store.docker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import org.unicon.model.Image;
import org.unicon.model.Secret;

/** Stores and images for the tests: short retry delays, so that fault tests stay quick. */
final class TestStores {
    static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100));

    private TestStores() {}

    static DockerStore store(Path dir, String registry) throws IOException {
        return new DockerStore(dir, registry, RegistryCredentials.NONE, QUICK, Clock.systemUTC());
    }

    static DockerStore store(Path dir, String registry, String dockerConfig) throws IOException {
        return new DockerStore(dir, registry, DockerStoreComponent.credentials(dockerConfig), QUICK, Clock.systemUTC());
    }

    static Image image(String name) {
        return Image.newBuilder().setType(Image.Type.DOCKER)
                .setDocker(Image.Docker.newBuilder().setName(name)).build();
    }

    /** An image carrying its own Docker config JSON (the Marathon pullConfig case). */
    static Image image(String name, String pullConfig) {
        return Image.newBuilder().setType(Image.Type.DOCKER)
                .setDocker(Image.Docker.newBuilder().setName(name).setConfig(Secret.newBuilder()
                        .setType(Secret.Type.VALUE)
                        .setValue(Secret.Value.newBuilder().setData(ByteString.copyFromUtf8(pullConfig)))))
                .build();
    }

    static Image uncached(Image i) {
        return i.toBuilder().setCached(false).build();
    }

    /** Docker config JSON with {@code user:password} for {@code host}, as base64 {@code auth}. */
    static String auths(String host, String user, String password) {
        String auth = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        return "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}";
    }

    /** The names in a directory, sorted; empty when it does not exist. */
    static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
