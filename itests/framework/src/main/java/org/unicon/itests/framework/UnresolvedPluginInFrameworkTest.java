package org.unicon.itests.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;
import org.unicon.containerizer.Containerizer;
import org.unicon.model.PluginInfo;

/**
 * Vendor isolators whose bundles are there but provide no service, and the plugin report says
 * why instead of only "no bundle registers it": one built against an API major version this
 * agent does not have (its bundle cannot resolve: the import nothing exports is named); one
 * whose component waits for its configuration; one whose service the core cannot get; and one
 * whose bundle is resolved but stopped.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class UnresolvedPluginInFrameworkTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configurationAdmin;

    private Path dir;
    private Configuration agent;
    private Bundle future;
    private Bundle waits;
    private Bundle broken;
    private ServiceTracker<Containerizer, Containerizer> tracker;

    @BeforeEach
    void configure() throws Exception {
        dir = Files.createTempDirectory("unicon-itest-unresolved");
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", dir.resolve("work").toString());
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("isolation", "vendor/future,vendor/waits,vendor/broken");
        properties.put("launcher", "posix");
        agent.update(properties);
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Bundle bundle : new Bundle[] {future, waits, broken}) {
            if (bundle != null) {
                bundle.uninstall();
            }
        }
        tracker.close();
        agent.delete();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aPluginWhoseComponentWaitsForItsConfigurationOrCannotBeGotIsReportedSo() throws Exception {
        Containerizer containerizer = tracker.waitForService(20_000);
        waits = context.installBundle("test:vendor-waits", new ByteArrayInputStream(isolatorBundle(
                "com.example.waits", "1.0.0", "[1.0,2)", "vendor/waits",
                "configuration-policy=\"require\" configuration-pid=\"com.example.waits\"")));
        broken = context.installBundle("test:vendor-broken", new ByteArrayInputStream(isolatorBundle(
                "com.example.broken", "1.0.0", "[1.0,2)", "vendor/broken", "")));
        waits.start();
        broken.start();

        assertEquals("component com.example.waits of bundle com.example.waits 1.0.0 waits for its configuration"
                + " (com.example.waits)", plugin(containerizer, "vendor/waits", "waits").getProblem());
        // Its implementation class is missing: SCR registers the service, and the core's bind
        // cannot get it (Felix SCR logs the ClassNotFoundException).
        PluginInfo unbound = plugin(containerizer, "vendor/broken", "component");
        assertEquals(PluginInfo.Status.MISSING, unbound.getStatus());
        assertEquals("component com.example.broken of bundle com.example.broken 1.0.0 is registered, but the core has"
                + " not bound it: it waits behind another plugin's recovery, or could not get the service (SCR logs"
                + " why, e.g. a failed activation)", unbound.getProblem());

        waits.stop();
        assertEquals("bundle com.example.waits 1.0.0 provides it but is not started",
                plugin(containerizer, "vendor/waits", "not started").getProblem());
    }

    @Test
    void aPluginWhoseBundleCannotResolveIsReportedWithTheMissingImport() throws Exception {
        Containerizer containerizer = tracker.waitForService(20_000);
        assertEquals("configured in isolation, but no bundle registers it", plugin(containerizer).getProblem());

        future = context.installBundle("test:vendor-future", new ByteArrayInputStream(futureBundle()));
        assertEquals(Bundle.INSTALLED, future.getState());

        PluginInfo info = plugin(containerizer);
        assertEquals(PluginInfo.Status.UNUSABLE, info.getStatus());
        assertEquals("bundle com.example.future 2.0.0 provides it but is not resolved: nothing exports"
                + " org.unicon.isolator [2.0.0,3.0.0)", info.getProblem());
    }

    private static PluginInfo plugin(Containerizer containerizer) {
        return plugin(containerizer, "vendor/future", "");
    }

    /** The report of plugin {@code name} once its problem contains {@code problem}; the last one seen after 20 s. */
    private static PluginInfo plugin(Containerizer containerizer, String name, String problem) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        PluginInfo last = null;
        while (System.nanoTime() < deadline) {
            var found = containerizer.plugins().stream().filter(p -> p.getName().equals(name)).findFirst();
            if (found.isPresent()) {
                last = found.get();
                if (last.getProblem().contains(problem)) {
                    return last;
                }
            }
            Thread.onSpinWait();
        }
        if (last == null) {
            throw new AssertionError(name + " is not in the plugin report");
        }
        return last;
    }

    /** A bundle built against org.unicon.isolator 2.x, declaring the isolator vendor/future. */
    private static byte[] futureBundle() throws Exception {
        return isolatorBundle("com.example.future", "2.0.0", "[2.0,3)", "vendor/future", "");
    }

    /**
     * A bundle declaring one isolator component named {@code isolator}, importing
     * org.unicon.isolator in {@code range}; {@code attributes} go on the component element. The
     * implementation class is not in the bundle: SCR loads it only to activate the component.
     */
    private static byte[] isolatorBundle(String name, String version, String range, String isolator,
            String attributes) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", name);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", "org.unicon.isolator;version=\"" + range + "\"");
        main.putValue("Service-Component", "OSGI-INF/" + name + ".xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\" "
                + attributes + ">\n"
                + "  <property name=\"unicon.isolator.name\" type=\"String\" value=\"" + isolator + "\"/>\n"
                + "  <service><provide interface=\"org.unicon.isolator.Isolator\"/></service>\n"
                + "  <implementation class=\"" + name + ".Missing\"/>\n"
                + "</scr:component>\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/"));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("OSGI-INF/" + name + ".xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
