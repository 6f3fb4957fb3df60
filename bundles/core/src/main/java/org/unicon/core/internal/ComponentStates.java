package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Why a started bundle that declares a plugin does not provide it, as Declarative Services sees
 * its component: disabled, waiting for its configuration or for a service, failed to activate,
 * or registered but not bound by the core.
 */
final class ComponentStates {
    private ComponentStates() {
    }

    /** What SCR says of the components of {@code bundle} whose {@code key} property is {@code name}. */
    static Optional<String> explain(BundleContext context, Bundle bundle, String key, String name) {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = reference == null ? null : context.getService(reference);
        if (scr == null) {
            return Optional.empty();
        }
        try {
            List<String> said = new ArrayList<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                if (names(description.properties.get(key), name)) {
                    said.add("component " + description.name + " of bundle " + bundle.getSymbolicName() + " "
                            + bundle.getVersion() + " " + state(scr, description));
                }
            }
            return said.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", said));
        } finally {
            context.ungetService(reference);
        }
    }

    private static String state(ServiceComponentRuntime scr, ComponentDescriptionDTO description) {
        if (!scr.isComponentEnabled(description)) {
            return "is disabled";
        }
        Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
        if (configurations.isEmpty()) {
            // SCR makes no configuration of a component that requires one until it exists.
            return "require".equals(description.configurationPolicy)
                    ? "waits for its configuration" + pids(description)
                    : "is not set up by Declarative Services yet";
        }
        ComponentConfigurationDTO configuration = configurations.iterator().next();
        return switch (configuration.state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "waits for its configuration" + pids(description);
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "waits for " + references(configuration);
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "failed to activate: "
                    + firstLine(configuration.failure);
            default -> "is registered, but the core has not bound it: it waits behind another plugin's"
                    + " recovery, or could not get the service (SCR logs why, e.g. a failed activation)";
        };
    }

    private static boolean names(Object value, String name) {
        if (value instanceof String[] values) {
            return List.of(values).contains(name);
        }
        return value != null && value.toString().equals(name);
    }

    private static String pids(ComponentDescriptionDTO description) {
        return description.configurationPid.length == 0 ? "" : " (" + String.join(", ", description.configurationPid) + ")";
    }

    private static String references(ComponentConfigurationDTO configuration) {
        List<String> wanted = new ArrayList<>();
        for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
            wanted.add(reference.name + (reference.target == null ? "" : " " + reference.target));
        }
        return wanted.isEmpty() ? "a service" : "service(s) " + String.join(", ", wanted);
    }

    private static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "(SCR gave no reason)";
        }
        return failure.strip().lines().findFirst().orElse(failure);
    }
}
