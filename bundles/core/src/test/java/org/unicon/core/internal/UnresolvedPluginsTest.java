package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The in-framework behaviour is checked in itests; here, how an unmet import reads. */
class UnresolvedPluginsTest {

    @Test
    void anUnmetImportReadsAsPackageAndVersionRange() {
        assertEquals("org.unicon.isolator [2.0.0,3.0.0)", UnresolvedPlugins.readable(
                "(&(osgi.wiring.package=org.unicon.isolator)(version>=2.0.0)(!(version>=3.0.0)))"));
        assertEquals("com.example.tools 1.2.0", UnresolvedPlugins.readable(
                "(&(osgi.wiring.package=com.example.tools)(version>=1.2.0))"));
        assertEquals("com.example.any 0.0.0", UnresolvedPlugins.readable("(osgi.wiring.package=com.example.any)"));
    }
}
