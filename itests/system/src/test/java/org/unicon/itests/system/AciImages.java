package org.unicon.itests.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds ACIs as an image author does: an image layout (manifest + rootfs/) packed by
 * {@code actool build} from Debian's appc-spec. Busybox rootfses come from busybox-static.
 */
final class AciImages {
    private AciImages() {}

    /**
     * Writes {@code prefixDir/NAME-VERSION-linux-amd64.aci} from {@code manifest} and a rootfs
     * holding busybox (when asked) and {@code files} (path in the rootfs → content).
     */
    static Path build(Path prefixDir, String name, String version, String manifest, boolean busybox,
                      Map<String, String> files) throws IOException, InterruptedException {
        Path aci = prefixDir.resolve(name + "-" + version + "-linux-amd64.aci");
        Files.createDirectories(aci.getParent());
        Path layout = Files.createTempDirectory(prefixDir, "layout");
        Path rootfs = Files.createDirectories(layout.resolve("rootfs"));
        if (busybox) {
            run("sh", "-c", "cd '" + rootfs + "' && mkdir -p bin etc proc sys dev tmp root && chmod 1777 tmp"
                    + " && cp /bin/busybox bin/busybox && for a in $(bin/busybox --list); do"
                    + " [ -e bin/$a ] || ln -s busybox bin/$a; done"
                    + " && printf 'root:x:0:0:root:/root:/bin/sh\\n' > etc/passwd && printf 'root:x:0:\\n' > etc/group");
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path p = rootfs.resolve(file.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, file.getValue());
        }
        Files.writeString(layout.resolve("manifest"), manifest);
        run("actool", "build", "--overwrite", "--owner-root", layout.toString(), aci.toString());
        Agent.deleteTree(layout);
        return aci;
    }

    /** A manifest named {@code name} with version, os=linux, arch=amd64 and the given JSON members. */
    static String manifest(String name, String version, String members) {
        return "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name + "\",\"labels\":["
                + "{\"name\":\"version\",\"value\":\"" + version + "\"},{\"name\":\"os\",\"value\":\"linux\"},"
                + "{\"name\":\"arch\",\"value\":\"amd64\"}]" + (members.isEmpty() ? "" : "," + members) + "}";
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
    }
}
