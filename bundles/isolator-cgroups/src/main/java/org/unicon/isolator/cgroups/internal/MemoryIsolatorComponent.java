package org.unicon.isolator.cgroups.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;

/**
 * {@code cgroups/mem}: a hard memory limit (swap pinned), an optional soft limit, and OOM kills
 * reported as a memory limitation. Configured by {@value CgroupsConfig#PID}, which must exist
 * (see CgroupIsolator#recover).
 */
@Component(service = Isolator.class, configurationPid = CgroupsConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@IsolatorProperties(name = "cgroups/mem")
public class MemoryIsolatorComponent extends CgroupIsolatorComponent {

    @Activate
    void activate(CgroupsConfig config) throws Exception {
        start(config, new MemorySubsystem());
    }

    @Deactivate
    void deactivate() {
        stop();
    }
}
