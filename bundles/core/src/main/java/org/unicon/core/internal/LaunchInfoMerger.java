package org.unicon.core.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Environment;

/**
 * Merges the isolators' {@code prepare} contributions the way Mesos does: lists are
 * concatenated in prepare order (namespaces without duplicates), later environment variables
 * win, and fields only one party may set are refused when two do. Isolators may never set
 * {@code rootfs} or {@code user}: those are the core's.
 */
final class LaunchInfoMerger {
    private final ContainerLaunchInfo.Builder merged = ContainerLaunchInfo.newBuilder();
    private final Map<String, Environment.Variable> environment = new LinkedHashMap<>();
    private final Set<Integer> cloneNamespaces = new LinkedHashSet<>();
    private final Set<Integer> enterNamespaces = new LinkedHashSet<>();
    private final Map<String, String> setBy = new LinkedHashMap<>();

    /** Adds one isolator's contribution; fails with a message naming both isolators on a conflict. */
    void add(String isolator, ContainerLaunchInfo info) {
        if (info.hasRootfs() || info.hasUser()) {
            throw new IllegalArgumentException("isolator '" + isolator + "' set "
                    + (info.hasRootfs() ? "rootfs" : "user") + ", which only the containerizer may set");
        }
        once(isolator, "working_directory", info.hasWorkingDirectory());
        once(isolator, "rlimits", info.hasRlimits());
        once(isolator, "effective_capabilities", info.hasEffectiveCapabilities());
        once(isolator, "bounding_capabilities", info.hasBoundingCapabilities());
        once(isolator, "hostname", info.hasHostname());
        for (Environment.Variable variable : info.getEnvironment().getVariablesList()) {
            environment.put(variable.getName(), variable);
        }
        cloneNamespaces.addAll(info.getCloneNamespacesList());
        enterNamespaces.addAll(info.getEnterNamespacesList());
        ContainerLaunchInfo rest = info.toBuilder()
                .clearEnvironment().clearCloneNamespaces().clearEnterNamespaces().build();
        merged.mergeFrom(rest);
    }

    private void once(String isolator, String field, boolean set) {
        if (!set) {
            return;
        }
        String earlier = setBy.putIfAbsent(field, isolator);
        if (earlier != null) {
            throw new IllegalArgumentException("isolators '" + earlier + "' and '" + isolator
                    + "' both set " + field + "; only one may");
        }
    }

    /** The environment the isolators asked for, in the order they asked. */
    List<Environment.Variable> environment() {
        return List.copyOf(environment.values());
    }

    /** The merged contribution, environment excluded (see {@link #environment()}). */
    ContainerLaunchInfo.Builder result() {
        return merged.clone()
                .addAllCloneNamespaces(cloneNamespaces)
                .addAllEnterNamespaces(enterNamespaces);
    }
}
