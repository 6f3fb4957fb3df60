package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * The archive directory as docker_registry: archives made by bin/lib/busybox-image (docker save
 * with manifest.json, and legacy repositories + json) and by skopeo (OCI archive), plus crafted
 * archives for the hostile cases of trust.md §1.4 case 24.
 */
class ArchiveDirectoryTest {
    @TempDir
    static Path built;
    @TempDir
    Path temp;

    static Path dockerSave;
    static Path legacy;
    static Path oci;

    @BeforeAll
    static void build() throws Exception {
        dockerSave = Commands.busyboxArchive(built.resolve("save"), "busybox:latest", false);
        legacy = Commands.busyboxArchive(built.resolve("legacy"), "busybox:latest", true);
        Path plain = built.resolve("busybox.tar");
        Files.copy(dockerSave, plain);
        oci = built.resolve("oci.tar");
        Commands.run("skopeo", "copy", "-q", "docker-archive:" + plain, "oci-archive:" + oci + ":latest");
    }

    private Path directoryWith(Path archive, String name) throws Exception {
        Path dir = temp.resolve("images");
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(archive, target);
        return dir;
    }

    private static void assertBusybox(StoredImage s) {
        assertEquals(1, s.layers().size());
        assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
        assertTrue(Files.isSymbolicLink(s.layers().get(0).resolve("bin/sh")));
        assertTrue(Files.isRegularFile(s.layers().get(0).resolve("etc/passwd")));
        assertEquals(List.of("sh"), s.config().getCmdList());
    }

    @Test
    void dockerSaveArchiveWithManifestJson() throws Exception {
        Path dir = directoryWith(dockerSave, "busybox:latest.tar");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            assertBusybox(store.get(TestStores.image("busybox"), PullProgress.none()));
            assertEquals("library/busybox:latest", store.images().get(0).getName());
        }
    }

    @Test
    void legacyArchiveWithRepositoriesAndLayerJson() throws Exception {
        Path dir = directoryWith(legacy, "busybox:latest.tar");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            assertBusybox(store.get(TestStores.image("busybox:latest"), PullProgress.none()));
        }
    }

    @Test
    void ociArchive() throws Exception {
        Path dir = directoryWith(oci, "busybox:latest.tar");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            assertBusybox(store.get(TestStores.image("busybox:latest"), PullProgress.none()));
        }
    }

    @Test
    void allThreeLayoutsYieldTheSameStoredLayer() throws Exception {
        Path dir = temp.resolve("images");
        Files.createDirectories(dir.resolve("probe"));
        Files.copy(dockerSave, dir.resolve("a:1.tar"));
        Files.copy(legacy, dir.resolve("b:1.tar"));
        Files.copy(oci, dir.resolve("probe/c:1.tar"));
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            StoredImage a = store.get(TestStores.image("a:1"), PullProgress.none());
            StoredImage b = store.get(TestStores.image("b:1"), PullProgress.none());
            StoredImage c = store.get(TestStores.image("probe/c:1"), PullProgress.none());
            assertEquals(a.layers(), b.layers());
            assertEquals(a.layers(), c.layers());
            assertEquals(3, store.images().size());
        }
    }

    @Test
    void theFullNameIsTheFallbackFileName() throws Exception {
        Path dir = directoryWith(dockerSave, "library/busybox:latest.tar");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            assertBusybox(store.get(TestStores.image("busybox"), PullProgress.none()));
        }
    }

    @Test
    void aMissingImageNamesTheFilesLookedFor() throws Exception {
        Path dir = directoryWith(dockerSave, "busybox:latest.tar");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image("busybox:1.0"), PullProgress.none()));
            assertEquals("image 'busybox:1.0' not found in local registry directory " + dir
                    + " (looked for busybox:1.0.tar, library/busybox:1.0.tar)", e.getMessage());
        }
    }

    @Test
    void aGzippedArchiveIsRefusedWithAHint() throws Exception {
        Path dir = temp.resolve("images");
        Files.createDirectories(dir);
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("busybox:latest.tar")))) {
            Files.copy(dockerSave, out);
        }
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image("busybox"), PullProgress.none()));
            assertTrue(e.getMessage().contains("is gzip-compressed"), e.getMessage());
        }
    }

    @Test
    void layerPathsAndSymlinksResolveInsideTheArchive() throws Exception {
        // manifest.json names its layer "../../<id>/layer.tar" through a symlinked directory, as
        // docker save does for duplicate layers: both must stay within the archive's own names.
        Path x = temp.resolve("x");
        Files.createDirectories(x);
        Commands.run("tar", "-xf", dockerSave.toString(), "-C", x.toString());
        String id = Files.list(x).map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}"))
                .filter(n -> Files.isDirectory(x.resolve(n))).findFirst().orElseThrow();
        Files.createSymbolicLink(x.resolve("alias"), Path.of(id));
        String manifest = Files.readString(x.resolve("manifest.json"));
        Files.writeString(x.resolve("manifest.json"), manifest.replace(id + "/layer.tar", "../../alias/../alias/layer.tar"));
        Path dir = temp.resolve("images");
        Files.createDirectories(dir);
        Commands.run("tar", "-cf", dir.resolve("busybox:latest.tar").toString(), "-C", x.toString(), ".");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            assertBusybox(store.get(TestStores.image("busybox"), PullProgress.none()));
        }
    }

    @Test
    void aSymlinkOutOfTheArchiveIsNotFollowedToTheHost() throws Exception {
        Path x = temp.resolve("x");
        Files.createDirectories(x);
        Commands.run("tar", "-xf", dockerSave.toString(), "-C", x.toString());
        Path secret = temp.resolve("host-secret.json");
        Files.writeString(secret, "{\"rootfs\":{\"diff_ids\":[]}}");
        String manifest = Files.readString(x.resolve("manifest.json"));
        String config = manifest.replaceAll("(?s).*\"Config\":\"([^\"]+)\".*", "$1");
        Files.delete(x.resolve(config));
        Files.createSymbolicLink(x.resolve(config), secret);
        Path dir = temp.resolve("images");
        Files.createDirectories(dir);
        Commands.run("tar", "-cf", dir.resolve("busybox:latest.tar").toString(), "-C", x.toString(), ".");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image("busybox"), PullProgress.none()));
            assertTrue(e.getMessage().contains("has no file '" + config + "'"), e.getMessage());
        }
    }

    @Test
    void aGiantManifestJsonFailsCleanly() throws Exception {
        Path x = temp.resolve("x");
        Files.createDirectories(x);
        try (OutputStream out = Files.newOutputStream(x.resolve("manifest.json"))) {
            out.write('[');
            byte[] pad = " ".repeat(1 << 20).getBytes();
            for (int i = 0; i < 21; i++) {
                out.write(pad);
            }
            out.write(']');
        }
        Path dir = temp.resolve("images");
        Files.createDirectories(dir);
        Commands.run("tar", "-cf", dir.resolve("busybox:latest.tar").toString(), "-C", x.toString(), "manifest.json");
        try (DockerStore store = TestStores.store(temp.resolve("store"), dir.toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image("busybox"), PullProgress.none()));
            assertTrue(e.getMessage().contains("more than the 20971520-byte limit"), e.getMessage());
        }
    }

    @Test
    void aLayerThatDoesNotMatchItsDiffIdIsNotStored() throws Exception {
        Path x = temp.resolve("x");
        Files.createDirectories(x);
        Commands.run("tar", "-xf", dockerSave.toString(), "-C", x.toString());
        Path layer = Files.list(x).filter(Files::isDirectory).findFirst().orElseThrow().resolve("layer.tar");
        Path other = temp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("f"), "not busybox");
        Commands.run("tar", "-cf", layer.toString(), "-C", other.toString(), "f");
        Path dir = temp.resolve("images");
        Files.createDirectories(dir);
        Commands.run("tar", "-cf", dir.resolve("busybox:latest.tar").toString(), "-C", x.toString(), ".");
        Path storeDir = temp.resolve("store");
        try (DockerStore store = TestStores.store(storeDir, dir.toString())) {
            Exception e = assertThrows(PullException.class, () -> store.get(TestStores.image("busybox"), PullProgress.none()));
            assertTrue(e.getMessage().contains("is corrupt: its content hashes to sha256:"), e.getMessage());
            assertEquals(List.of(), TestStores.list(storeDir.resolve("layers")));
            assertEquals(List.of(), TestStores.list(storeDir.resolve("staging")));
            assertFalse(store.images().iterator().hasNext());
        }
    }
}
