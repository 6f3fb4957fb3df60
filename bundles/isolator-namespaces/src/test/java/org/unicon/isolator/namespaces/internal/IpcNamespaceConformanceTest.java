package org.unicon.isolator.namespaces.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.testkit.isolator.IsolatorConformance;

class IpcNamespaceConformanceTest extends IsolatorConformance {
    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new IpcNamespaceComponent();
    }

    @Override
    protected Class<?> componentClass() {
        return IpcNamespaceComponent.class;
    }

    @Test
    void isRegisteredAsIpcNamespace() throws Exception {
        assertEquals(List.of("namespaces/ipc"), serviceProperties().get(Isolator.NAME));
        assertEquals(null, serviceProperties().get(Isolator.REQUIRES));
    }
}
