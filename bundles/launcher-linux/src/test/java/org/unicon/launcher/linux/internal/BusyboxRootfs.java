package org.unicon.launcher.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** A busybox image tree from the host's static busybox: one symlink per applet, passwd, group. */
final class BusyboxRootfs {

    private BusyboxRootfs() {
    }

    static Path build(Path root) throws IOException, InterruptedException {
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("/bin/busybox is missing: apt-get install busybox-static");
        }
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Process list = new ProcessBuilder(busybox.toString(), "--list").start();
        List<String> applets = new String(list.getInputStream().readAllBytes()).lines().toList();
        list.waitFor();
        for (String applet : applets) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.createDirectories(root.resolve("tmp"));
        return root;
    }
}
