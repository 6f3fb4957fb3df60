package org.unicon.backend.overlay.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

import org.unicon.hostfs.TreeDeleter;

/**
 * Mounts with the classic API for kernels before 6.8 (no {@code lowerdir+}): a directory of
 * symbolic links named {@code 0}, {@code 1}, ... points at the layers, and util-linux
 * {@code mount} runs with that directory as its working directory, so the option string names
 * each layer in at most four characters (under 2 KiB for 500 layers). Overlay resolves the
 * names when it mounts, so the links are removed right after.
 */
final class ShortLinkOverlay implements OverlayMounter {

    private static final int PAGE = 4096;

    @Override
    public void mount(List<Path> layers, Path upper, Path work, Path target) throws IOException {
        Path links = upper.resolveSibling("links");
        TreeDeleter.delete(links);
        Files.createDirectory(links);
        try {
            StringJoiner lower = new StringJoiner(":", "lowerdir=", "");
            for (int i = 0; i < layers.size(); i++) {
                Files.createSymbolicLink(links.resolve(Integer.toString(i)), layers.get(i).toAbsolutePath());
            }
            for (int i = layers.size() - 1; i >= 0; i--) {
                lower.add(Integer.toString(i));
            }
            String options = lower + ",upperdir=" + links.relativize(upper) + ",workdir=" + links.relativize(work);
            if (options.length() >= PAGE) {
                throw new IOException("cannot mount an overlay on " + target + ": the options for "
                        + layers.size() + " layers need " + options.length() + " bytes, more than one page");
            }
            run(links, target, options);
        } finally {
            TreeDeleter.delete(links);
        }
    }

    private static void run(Path links, Path target, String options) throws IOException {
        Process mount = new ProcessBuilder("mount", "-t", "overlay", "-o", options, "overlay", target.toString())
                .directory(links.toFile())
                .redirectErrorStream(true)
                .start();
        mount.getOutputStream().close();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int status;
        try {
            status = mount.waitFor();
        } catch (InterruptedException e) {
            mount.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while mounting an overlay on " + target, e);
        }
        if (status != 0) {
            throw new IOException("cannot mount an overlay on " + target + ": mount exited with " + status
                    + (output.isEmpty() ? "" : ": " + output));
        }
    }
}
