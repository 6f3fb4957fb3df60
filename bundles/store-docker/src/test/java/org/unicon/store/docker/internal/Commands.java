package org.unicon.store.docker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the real tools the tests use (skopeo, openssl, htpasswd, the busybox-image script). */
final class Commands {
    private Commands() {}

    /** Runs {@code command}, fails with its output unless it exits 0, returns stdout+stderr. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", List.of(command)) + " exited " + rc + ": " + out);
        }
        return out;
    }

    /** The project's bin/lib/busybox-image, found above the working directory. */
    static Path busyboxImageScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("bin/lib/busybox-image");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("bin/lib/busybox-image not found above " + Path.of("").toAbsolutePath());
    }

    /** Builds busybox:latest.tar (or NAME:TAG.tar) in {@code dir} with bin/lib/busybox-image. */
    static Path busyboxArchive(Path dir, String name, boolean legacy) throws IOException, InterruptedException {
        if (legacy) {
            run(busyboxImageScript().toString(), "--legacy", "--name", name, dir.toString());
        } else {
            run(busyboxImageScript().toString(), "--name", name, dir.toString());
        }
        return dir.resolve(name + ".tar");
    }
}
