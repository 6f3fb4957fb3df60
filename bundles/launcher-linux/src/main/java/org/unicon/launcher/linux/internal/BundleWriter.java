package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicon.launcher.LaunchRequest;
import org.unicon.model.ContainerLaunchInfo;

/**
 * Writes a container's OCI runtime bundle: {@code <launcher dir>/bundle/config.json}. The rootfs
 * is referenced by its real path (runc refuses a symlinked root), not copied; the user is
 * resolved in the rootfs; the hostname is the launch info's (set with a UTS namespace).
 */
final class BundleWriter {

    static final String BUNDLE = "bundle";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundleWriter() {
    }

    /** Writes the bundle and returns its directory. */
    static Path write(LaunchRequest request, String cgroupsPath) throws IOException {
        String id = request.containerId().getValue();
        ContainerLaunchInfo info = request.launchInfo();
        Optional<Path> rootfs = Optional.empty();
        if (!info.getRootfs().isEmpty()) {
            Path given = Path.of(info.getRootfs());
            if (!given.isAbsolute() || !Files.isDirectory(given)) {
                throw new IllegalArgumentException("the rootfs '" + given + "' of container '" + id
                        + "' is not an absolute path of a directory");
            }
            rootfs = Optional.of(given.toRealPath());
        }
        String user = info.hasUser() ? info.getUser() : info.getCommand().getUser();
        UserLookup.Ids ids = UserLookup.resolve(id, user, rootfs.orElse(null));
        ObjectNode spec = OciSpec.build(request, ids, rootfs, info.hasHostname() ? Optional.of(info.getHostname()) : Optional.empty(), cgroupsPath);
        Path bundle = Files.createDirectories(request.directory().resolve(BUNDLE));
        Path tmp = bundle.resolve("config.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), spec);
        Files.move(tmp, bundle.resolve("config.json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return bundle;
    }
}
