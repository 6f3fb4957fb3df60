package org.unicon.store.docker.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.Image;
import org.unicon.store.ImageStore;
import org.unicon.testkit.store.ImageStoreConformance;

/** The store conformance suite against a real docker-registry with token auth. */
class RegistryStoreConformanceTest extends ImageStoreConformance {
    @TempDir
    static Path shared;
    static TokenServer tokens;
    static RegistryProcess registry;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.start(shared.resolve("tokens"));
        registry = RegistryProcess.start(shared.resolve("registry"), RegistryProcess.Mode.TOKEN, tokens);
        Path plain = shared.resolve("busybox.tar");
        Files.copy(Commands.busyboxArchive(shared.resolve("archives"), "busybox:latest", false), plain);
        Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds",
                RegistryProcess.USER + ":" + RegistryProcess.PASSWORD, "docker-archive:" + plain,
                "docker://" + registry.host() + "/probe/busybox:latest");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @Override
    protected ImageStore createStore(Path storeDir) throws Exception {
        return TestStores.store(storeDir, registry.url().toString(),
                TestStores.auths(registry.host(), RegistryProcess.USER, RegistryProcess.PASSWORD));
    }

    @Override
    protected Image image() {
        return TestStores.image(registry.host() + "/probe/busybox");
    }

    @Override
    protected Image missingImage() {
        return TestStores.image(registry.host() + "/probe/missing:1");
    }
}
