package com.example.unicon.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.unicon.isolator.Isolator;
import org.unicon.testkit.isolator.IsolatorConformance;

/** Unicon's isolator conformance suite, run against vendor/audit as any isolator must run it. */
class AuditIsolatorConformanceTest extends IsolatorConformance {

    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new AuditIsolator("audit.log", Clock.systemUTC());
    }

    @Override
    protected Class<?> componentClass() {
        return AuditIsolatorComponent.class;
    }

    /** The audit file is for the user: it stays in the sandbox after cleanup, as stdout does. */
    @Override
    protected Set<String> sandboxOutputs() {
        return Set.of("audit.log");
    }

    @Test
    void isRegisteredAsVendorAuditRequiringNothing() throws Exception {
        assertEquals(List.of("vendor/audit"), serviceProperties().get(Isolator.NAME));
        assertEquals(null, serviceProperties().get(Isolator.REQUIRES));
    }
}
