package org.unicon.isolator.namespaces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.testkit.isolator.IsolatorConformance;

class PidNamespaceConformanceTest extends IsolatorConformance {
    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new PidNamespaceComponent();
    }

    @Override
    protected Class<?> componentClass() {
        return PidNamespaceComponent.class;
    }

    @Test
    void isRegisteredAsPidNamespace() throws Exception {
        assertEquals(List.of("namespaces/pid"), serviceProperties().get(Isolator.NAME));
        assertEquals(List.of("filesystem/linux"), serviceProperties().get(Isolator.REQUIRES));
    }
}
