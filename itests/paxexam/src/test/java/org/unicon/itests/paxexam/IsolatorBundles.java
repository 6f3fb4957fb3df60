package org.unicon.itests.paxexam;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs, updates and uninstalls the test isolator bundle inside the framework, as an operator
 * does with Gogo ({@code install}, {@code update} + {@code refresh}, {@code uninstall}).
 */
final class IsolatorBundles {
    private final BundleContext context;

    IsolatorBundles(BundleContext context) {
        this.context = context;
    }

    /** The jar TinyBundles built for {@code version} (1.0.0 or 1.1.0). */
    Path jar(String version) {
        String dir = context.getProperty(VersionedIsolatorJars.DIRECTORY_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException("the framework property " + VersionedIsolatorJars.DIRECTORY_PROPERTY
                    + " is not set");
        }
        return Path.of(dir).resolve(version + ".jar");
    }

    Bundle install(String version) throws Exception {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar(version))) {
            bundle = context.installBundle("test:" + VersionedIsolatorJars.SYMBOLIC_NAME, in);
        }
        bundle.start();
        return bundle;
    }

    /** Updates the bundle in place to {@code version}, then refreshes that bundle alone. */
    void update(Bundle bundle, String version) throws Exception {
        try (InputStream in = Files.newInputStream(jar(version))) {
            bundle.update(in);
        }
        refresh(bundle);
    }

    void uninstall(Bundle bundle) throws Exception {
        bundle.uninstall();
        refresh(bundle);
    }

    /** FrameworkWiring.refreshBundles of just {@code bundle}; returns once the refresh is done. */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(AgentInFramework.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the refresh of " + bundle + " did not finish");
        }
    }
}
