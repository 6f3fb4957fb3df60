package org.unicon.itests.paxexam;

import static org.ops4j.pax.tinybundles.TinyBundles.bundle;
import static org.ops4j.pax.tinybundles.TinyBundles.rawBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.Constants;
import org.unicon.itests.paxexam.versioned.Journal;

/**
 * Builds the two versions of the test isolator bundle with TinyBundles, on the driver side
 * (TinyBundles needs bnd, which the runtime does not have), into target/test-bundles/; the tests
 * inside the framework find them through the framework property {@value #DIRECTORY_PROPERTY}.
 */
final class VersionedIsolatorJars {
    static final String DIRECTORY_PROPERTY = "unicon.itest.bundles";
    static final String SYMBOLIC_NAME = "org.unicon.itests.versioned";
    static final String ISOLATOR = "test/versioned";

    private VersionedIsolatorJars() {}

    /** Builds both versions; returns the directory holding {@code 1.0.0.jar} and {@code 1.1.0.jar}. */
    static Path build() throws IOException {
        Path dir = Files.createDirectories(Repository.root().resolve("itests/paxexam/target/test-bundles"));
        write(dir.resolve("1.0.0.jar"), "1.0.0", org.unicon.itests.paxexam.versioned.v100.Activator.class,
                org.unicon.itests.paxexam.versioned.v100.VersionedIsolator.class);
        write(dir.resolve("1.1.0.jar"), "1.1.0", org.unicon.itests.paxexam.versioned.v110.Activator.class,
                org.unicon.itests.paxexam.versioned.v110.VersionedIsolator.class,
                org.unicon.itests.paxexam.versioned.v110.VersionedIsolator.State.class);
        return dir;
    }

    private static void write(Path jar, String version, Class<? extends BundleActivator> activator,
            Class<?>... classes) throws IOException {
        var tiny = bundle()
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(SYMBOLIC_NAME)
                .setHeader(Constants.BUNDLE_VERSION, version)
                .setHeader(Constants.BUNDLE_NAME, "Unicon test isolator " + ISOLATOR + " " + version)
                .setHeader(Constants.IMPORT_PACKAGE, String.join(",",
                        "org.osgi.framework",
                        "org.unicon.isolator;version=\"[1.0,2)\"",
                        "org.unicon.model;version=\"[1.0,2)\"",
                        "com.google.protobuf"))
                .activator(activator)
                .addClass(Journal.class);
        for (Class<?> type : classes) {
            tiny.addClass(type);
        }
        try (InputStream in = tiny.build(rawBuilder())) {
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
