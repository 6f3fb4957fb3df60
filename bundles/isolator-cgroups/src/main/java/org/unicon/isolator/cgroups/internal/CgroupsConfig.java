package org.unicon.isolator.cgroups.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration the three cgroups isolators share (PID {@value #PID}). Declarative Services
 * turns {@code __} in a method name into {@code _}.
 */
@ObjectClassDefinition(pid = CgroupsConfig.PID, name = "Unicon cgroups isolators",
        description = "cgroups/cpu, cgroups/mem and cgroups/pids")
public @interface CgroupsConfig {
    String PID = "unicon.isolator.cgroups";

    @AttributeDefinition(description = "Containers' cgroups are /<cgroups_root>/<container id> in every hierarchy;"
            + " keep it equal to the linux launcher's cgroups_root so the OCI runtime joins these cgroups")
    String cgroups__root() default "unicon";

    @AttributeDefinition(description = "cgroups/cpu: also cap each container at its cpus with a CFS quota"
            + " (otherwise only shares, i.e. weights under contention)")
    boolean cgroups__enable__cfs() default false;

    @AttributeDefinition(description = "cgroups/pids: the pids.max of containers that ask for no pids resource;"
            + " 0 = unlimited")
    long cgroups__pids__max() default 0;
}
