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
 * A vendor isolator built against an API major version this agent does not have: its bundle
 * installs but cannot resolve, and the plugin report says so, naming the bundle and the import
 * nothing exports, instead of only "no bundle registers it".
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
    private ServiceTracker<Containerizer, Containerizer> tracker;

    @BeforeEach
    void configure() throws Exception {
        dir = Files.createTempDirectory("unicon-itest-unresolved");
        agent = configurationAdmin.getConfiguration("unicon.agent", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("work_dir", dir.resolve("work").toString());
        properties.put("runtime_dir", dir.resolve("run").toString());
        properties.put("isolation", "vendor/future");
        properties.put("launcher", "posix");
        agent.update(properties);
        tracker = new ServiceTracker<>(context, Containerizer.class, null);
        tracker.open();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (future != null) {
            future.uninstall();
        }
        tracker.close();
        agent.delete();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var found = containerizer.plugins().stream().filter(p -> p.getName().equals("vendor/future")).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("vendor/future is not in the plugin report");
    }

    /** A bundle built against org.unicon.isolator 2.x, declaring the isolator vendor/future. */
    private static byte[] futureBundle() throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "com.example.future");
        main.putValue("Bundle-Version", "2.0.0");
        main.putValue("Import-Package", "org.unicon.isolator;version=\"[2.0,3)\"");
        main.putValue("Service-Component", "OSGI-INF/com.example.future.xml");
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"com.example.future\">\n"
                + "  <property name=\"unicon.isolator.name\" type=\"String\" value=\"vendor/future\"/>\n"
                + "  <service><provide interface=\"org.unicon.isolator.Isolator\"/></service>\n"
                + "  <implementation class=\"com.example.future.FutureIsolator\"/>\n"
                + "</scr:component>\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/"));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("OSGI-INF/com.example.future.xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
