package org.unicon.store.appc.internal;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.layers.ExtractOptions;
import org.unicon.model.Image;
import org.unicon.store.ImageStore;
import org.unicon.testkit.store.ImageStoreConformance;

/** The store conformance suite with ACIs found by simple discovery below a file:// prefix. */
class FileStoreConformanceTest extends ImageStoreConformance {
    @TempDir
    static Path acis;

    @BeforeAll
    static void build() throws Exception {
        AciBuilder.image("example.com/busybox", "1.35.0").exec("/bin/sh").build(acis);
    }

    @Override
    protected ImageStore createStore(Path storeDir) throws Exception {
        return new AppcStore(storeDir, SimpleDiscovery.parse(acis.toUri().toString()), ExtractOptions.defaults(),
                Clock.systemUTC());
    }

    @Override
    protected Image image() {
        return TestImages.appc("example.com/busybox", "version", "1.35.0");
    }

    @Override
    protected Image missingImage() {
        return TestImages.appc("example.com/missing", "version", "1.0.0");
    }
}
