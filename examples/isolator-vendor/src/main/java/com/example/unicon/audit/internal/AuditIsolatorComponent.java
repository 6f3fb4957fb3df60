package com.example.unicon.audit.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.IsolatorProperties;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Resource;
import org.unicon.model.Value;

/**
 * Registers {@link AuditIsolator} as the isolator {@code vendor/audit}; the agent uses it once
 * {@code isolation} names it. Configured by PID {@value Config#PID} (optional: the defaults
 * apply without a file). A changed {@code audit_file} applies to containers launched afterwards;
 * a bad value is refused with a message naming the key, and the previous value stays in force.
 */
@Component(service = Isolator.class, configurationPid = AuditIsolatorComponent.Config.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@IsolatorProperties(name = AuditIsolator.NAME)
public class AuditIsolatorComponent implements Isolator {

    /** Declarative Services turns {@code __} in a method name into {@code _}. */
    @ObjectClassDefinition(pid = Config.PID, name = "Example vendor/audit isolator",
            description = "Writes one audit line per container lifecycle event into the container's sandbox")
    public @interface Config {
        String PID = "com.example.unicon.audit";

        @AttributeDefinition(description = "The audit file's name in each container's sandbox (read it with"
                + " READ_FILE /containers/<id>/<name>)")
        String audit__file() default "audit.log";
    }

    private AuditIsolator isolator;

    @Activate
    void activate(Config config) {
        isolator = new AuditIsolator(config.audit__file(), Clock.systemUTC());
    }

    @Modified
    void modified(Config config) {
        isolator.useFile(config.audit__file()); // throws for a bad value: DS logs it, the old one stays
    }

    @Override
    public void recover(List<RecoveredContainer> containers, Set<ContainerID> orphans) {
        isolator.recover(containers, orphans);
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws Exception {
        return isolator.prepare(container);
    }

    @Override
    public void isolate(ContainerID id, long pid) {
        isolator.isolate(id, pid);
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
        isolator.update(id, resources, limits);
    }

    @Override
    public void cleanup(ContainerID id) {
        isolator.cleanup(id);
    }
}
