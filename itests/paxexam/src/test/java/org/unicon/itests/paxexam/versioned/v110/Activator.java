package org.unicon.itests.paxexam.versioned.v110;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.unicon.isolator.Isolator;

/** Registers test/versioned; the core stamps its checkpoints with this bundle's version. */
public final class Activator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Isolator.NAME, "test/versioned");
        context.registerService(Isolator.class, new VersionedIsolator(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service.
    }
}
