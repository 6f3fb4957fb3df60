package org.unicon.isolator.cgroups.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;

/**
 * {@code cgroups/pids}: a pids.max from a pids resource or cgroups_pids_max. Configured by {@value
 * CgroupsConfig#PID}, which must exist (see CgroupIsolator#recover).
 */
@Component(service = Isolator.class, configurationPid = CgroupsConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@IsolatorProperties(name = "cgroups/pids")
public class PidsIsolatorComponent extends CgroupIsolatorComponent {

    @Activate
    void activate(CgroupsConfig config) throws Exception {
        start(config, new PidsSubsystem(config.cgroups__pids__max()));
    }

    @Deactivate
    void deactivate() {
        stop();
    }
}
