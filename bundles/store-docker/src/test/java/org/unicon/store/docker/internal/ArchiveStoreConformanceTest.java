package org.unicon.store.docker.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.model.Image;
import org.unicon.store.ImageStore;
import org.unicon.testkit.store.ImageStoreConformance;

/** The store conformance suite against the archive-directory store (busybox from bin/lib/busybox-image). */
class ArchiveStoreConformanceTest extends ImageStoreConformance {
    @TempDir
    static Path images;

    @BeforeAll
    static void build() throws Exception {
        Commands.busyboxArchive(images, "busybox:latest", false);
    }

    @Override
    protected ImageStore createStore(Path storeDir) throws Exception {
        return TestStores.store(storeDir, images.toString());
    }

    @Override
    protected Image image() {
        return TestStores.image("busybox");
    }

    @Override
    protected Image missingImage() {
        return TestStores.image("busybox:missing");
    }
}
