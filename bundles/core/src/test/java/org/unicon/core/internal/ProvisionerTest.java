package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.Image;
import org.unicon.provisioner.ProvisionerBackend;

/**
 * Backend choice. The backends here only say whether they can work where the layers are:
 * choosing is the core's logic under test (the real backends are tested in their bundles and
 * through the core in itests/framework).
 */
class ProvisionerTest {
    private final PluginRegistry registry = new PluginRegistry();
    private final List<Path> layers = List.of(Path.of("/store/layers/sha256-aa"));

    private void backend(String name, String unavailable) {
        registry.backends.add(new Plugin<>(name, new ProvisionerBackend() {
            @Override
            public Optional<String> unavailable(Path storeDirectory) {
                return Optional.ofNullable(unavailable);
            }

            @Override
            public void provision(List<Path> l, Path rootfs) {}

            @Override
            public void destroy(Path rootfs) {}
        }, "b", "1", "1", List.of(), 0));
    }

    private Provisioner provisioner(String configured, String... providers) {
        return new Provisioner(registry, new AgentSettings(List.of(), "posix", List.of(providers), "/mnt", configured));
    }

    @Test
    void autoPicksOverlayThenAufsThenCopy() throws Exception {
        backend("copy", null);
        backend("aufs", "the kernel has no aufs");
        assertEquals("copy", provisioner("").backend(layers).name());
        backend("overlay", null);
        assertEquals("overlay", provisioner("").backend(layers).name());
    }

    @Test
    void whenNothingWorksTheReasonsAreListed() {
        backend("overlay", "the store is on btrfs");
        var e = assertThrows(ContainerizerException.class, () -> provisioner("").backend(layers));
        assertEquals("no provisioner backend can be used (installed: overlay; overlay: the store is on btrfs)",
                e.getMessage());
    }

    @Test
    void aForcedBackendIsUsedOrRefusedWithTheReason() throws Exception {
        backend("overlay", null);
        backend("bind", "refuses everything in this test");
        assertEquals("overlay", provisioner("overlay").backend(layers).name());
        assertEquals("provisioner_image_backend is 'bind', which cannot work here: refuses everything in this test",
                assertThrows(ContainerizerException.class, () -> provisioner("bind").backend(layers)).getMessage());
        assertEquals("provisioner_image_backend is 'zfs', which is not installed (installed backends: bind, overlay)",
                assertThrows(ContainerizerException.class, () -> provisioner("zfs").backend(layers)).getMessage());
    }

    @Test
    void anImageTypeTheAgentDoesNotAcceptIsRefused() {
        Image image = Image.newBuilder().setType(Image.Type.APPC)
                .setAppc(Image.Appc.newBuilder().setName("example.com/app")).build();
        var e = assertThrows(ContainerizerException.class, () -> provisioner("", "DOCKER").store(image));
        assertEquals("appc image 'example.com/app' cannot be used: image_providers does not include APPC (it is 'DOCKER')",
                e.getMessage());
        e = assertThrows(ContainerizerException.class, () -> provisioner("", "APPC").store(image));
        assertEquals("no image store for APPC images is installed (installed stores: none)", e.getMessage());
    }
}
