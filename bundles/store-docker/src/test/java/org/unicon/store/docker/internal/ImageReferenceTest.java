package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void dockerDefaults() {
        ImageReference r = ImageReference.parse("busybox");
        assertNull(r.registry());
        assertEquals("library/busybox", r.repository());
        assertEquals("busybox", r.givenRepository());
        assertEquals("latest", r.tag());
        assertEquals("library/busybox:latest", r.name());
    }

    @Test
    void aUserRepositoryOnDockerHubGetsNoLibraryPrefix() {
        assertEquals("probe/busybox:1.0", ImageReference.parse("probe/busybox:1.0").name());
        assertEquals("library/busybox:1.0", ImageReference.parse("docker.io/busybox:1.0").name());
        assertEquals("library/busybox:1.0", ImageReference.parse("index.docker.io/library/busybox:1.0").name());
    }

    @Test
    void aFirstComponentWithADotColonOrLocalhostIsAHost() {
        ImageReference r = ImageReference.parse("127.0.0.1:5000/probe/busybox:1.0");
        assertEquals("127.0.0.1:5000", r.registry());
        assertEquals("probe/busybox", r.repository());
        assertEquals("1.0", r.tag());
        assertEquals("localhost", ImageReference.parse("localhost/busybox").registry());
        assertEquals("busybox", ImageReference.parse("localhost/busybox").repository(), "no library/ off Docker Hub");
        assertEquals("registry.example.com", ImageReference.parse("registry.example.com/a/b").registry());
        assertNull(ImageReference.parse("probe/busybox").registry());
        assertEquals("[::1]:5000", ImageReference.parse("[::1]:5000/busybox").registry());
    }

    @Test
    void digests() {
        String hex = "a".repeat(64);
        ImageReference r = ImageReference.parse("busybox@sha256:" + hex);
        assertNull(r.tag());
        assertEquals("sha256:" + hex, r.manifestReference());
        assertEquals("library/busybox@sha256:" + hex, r.name());
        ImageReference both = ImageReference.parse("host:5000/busybox:1.0@sha256:" + hex);
        assertEquals("1.0", both.tag());
        assertEquals("sha256:" + hex, both.manifestReference(), "the digest wins");
    }

    @Test
    void malformedReferencesSayWhatIsWrong() {
        assertEquals("image reference is empty",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(" ")).getMessage());
        assertEquals("invalid image reference 'busybox@sha256:../../etc': 'sha256:../../etc' is not a digest"
                        + " (sha256:<64 hex> or sha512:<128 hex>)",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("busybox@sha256:../../etc")).getMessage());
        assertEquals("invalid image reference 'busybox:-x': '-x' is not a valid tag",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("busybox:-x")).getMessage());
        assertEquals("invalid image reference 'probe/../etc': '..' is not a valid repository component"
                        + " (lowercase letters, digits and single separators . _ __ -)",
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("probe/../etc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("probe//busybox"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("/busybox"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("host:5000/"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("probe/BusyBox"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("bad_host_name.com:x/busybox"));
    }
}
