package org.unicon.backend.bind.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.testkit.backend.LayerBuilder;
import org.unicon.testkit.backend.ProvisionerBackendConformance;

/** The conformance suite for bind, plus what is particular to it. */
class BindBackendTest extends ProvisionerBackendConformance {

    private final BindBackend backend = new BindBackend();

    @Override
    protected ProvisionerBackend backend() {
        return backend;
    }

    @Override
    protected boolean singleLayerOnly() {
        return true;
    }

    @Override
    protected boolean readOnlyRootfs() {
        return true;
    }

    @Test
    void refusesAMultiLayerImageNamingTheCountAndTheAlternatives() throws Exception {
        Path a = new LayerBuilder().file("a", "a").writeOverlayForm(scratch.resolve("a"));
        Path b = new LayerBuilder().file("b", "b").writeOverlayForm(scratch.resolve("b"));
        Path rootfs = newRootfs("c1");

        IOException refused = assertThrows(IOException.class, () -> backend.provision(List.of(a, b), rootfs));

        assertEquals("the bind backend mounts exactly one layer, but the image has 2 layers;"
                + " use the copy or overlay backend (provisioner_image_backend) for this image", refused.getMessage());
        assertTrue(Files.isDirectory(rootfs), "the rootfs the core made is left as it was");
    }

    @Test
    void mountsTheLayerReadOnly() throws Exception {
        Path layer = new LayerBuilder().dir("tmp").file("f", "x").writeOverlayForm(scratch.resolve("layer"));
        Path rootfs = newRootfs("c1");
        backend.provision(List.of(layer), rootfs);
        try {
            String[] mountinfo = mountinfoLine(rootfs).split(" ");
            assertTrue(List.of(mountinfo[5].split(",")).contains("ro"), String.join(" ", mountinfo));
            assertEquals("x", Files.readString(rootfs.resolve("f")));
        } finally {
            backend.destroy(rootfs);
        }
        assertDestroyed(rootfs);
    }

    @Test
    void mountsInsideTheRootfsDoNotReachTheLayer() throws Exception {
        Path layer = new LayerBuilder().dir("tmp").writeOverlayForm(scratch.resolve("layer"));
        Path volume = Files.createDirectories(scratch.resolve("volume"));
        Files.writeString(volume.resolve("in-volume"), "v");
        Path rootfs = newRootfs("c1");
        backend.provision(List.of(layer), rootfs);
        try {
            run("mount", "--bind", volume.toString(), rootfs.resolve("tmp").toString());

            assertTrue(Files.exists(rootfs.resolve("tmp/in-volume")));
            assertFalse(Files.exists(layer.resolve("tmp/in-volume")), "the mount propagated into the store");
        } finally {
            backend.destroy(rootfs);
        }
        assertDestroyed(rootfs);
        assertEquals("v", Files.readString(volume.resolve("in-volume")));
    }

    private static String mountinfoLine(Path mountPoint) throws IOException {
        String found = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.split(" ")[4].equals(mountPoint.toRealPath().toString())) {
                found = line;
            }
        }
        assertTrue(found != null, mountPoint + " is not mounted");
        return found;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), String.join(" ", command));
    }
}
