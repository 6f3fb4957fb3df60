package org.unicon.isolator.cgroups.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;

/**
 * {@code cgroups/cpu}: CPU shares from the cpus resource and, with cgroups_enable_cfs or a cpus limit,
 * a CFS quota. Configured by {@value CgroupsConfig#PID}, which must exist (see CgroupIsolator#recover).
 */
@Component(service = Isolator.class, configurationPid = CgroupsConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@IsolatorProperties(name = "cgroups/cpu")
public class CpuIsolatorComponent extends CgroupIsolatorComponent {

    @Activate
    void activate(CgroupsConfig config) throws Exception {
        start(config, new CpuSubsystem(config.cgroups__enable__cfs()));
    }

    @Deactivate
    void deactivate() {
        stop();
    }
}
