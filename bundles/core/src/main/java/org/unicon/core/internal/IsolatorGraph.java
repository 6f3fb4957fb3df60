package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders the configured isolators so that each prepares after the isolators it requires.
 * Isolators that do not depend on each other keep the order the operator configured. A
 * configuration that names an isolator nobody registered, needs one it does not name, or has a
 * cycle is refused with a message that names them and lists what is available.
 */
public final class IsolatorGraph {

    /** A configuration that cannot be used; the message says why. */
    public static final class InvalidIsolation extends Exception {
        private static final long serialVersionUID = 1L;

        private final Set<String> involved;

        InvalidIsolation(String message, java.util.Collection<String> involved) {
            super(message);
            this.involved = Set.copyOf(involved);
        }

        /** The isolators the problem is about (configured twice, missing what they require, in a cycle). */
        public Set<String> involved() {
            return involved;
        }
    }

    private IsolatorGraph() {}

    /**
     * @param configured isolator names in the operator's order (the {@code isolation} setting)
     * @param available every registered isolator name with the names it requires
     * @return the configured isolators in prepare order
     */
    public static List<String> order(List<String> configured, Map<String, List<String>> available)
            throws InvalidIsolation {
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : configured) {
            if (!wanted.add(name)) {
                throw new InvalidIsolation("isolation names '" + name + "' twice", List.of(name));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : wanted) {
            if (!available.containsKey(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidIsolation("isolation names " + quote(unknown)
                    + (unknown.size() == 1 ? ", which is" : ", which are")
                    + " not installed; available isolators: " + availableList(available),
                    withDependents(unknown, wanted, available));
        }
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (String name : wanted) {
            for (String dependency : available.get(name)) {
                if (!wanted.contains(dependency)) {
                    missing.computeIfAbsent(name, k -> new ArrayList<>()).add(dependency);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> parts = new ArrayList<>();
            missing.forEach((name, deps) -> parts.add("'" + name + "' requires " + quote(deps)));
            throw new InvalidIsolation(String.join("; ", parts)
                    + ", which isolation does not name; available isolators: " + availableList(available),
                    missing.keySet());
        }
        List<String> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String name : wanted) {
            visit(name, available, done, new ArrayList<>(), ordered);
        }
        return ordered;
    }

    /** {@code names} and every wanted isolator that requires one of them, directly or not. */
    private static Set<String> withDependents(List<String> names, Set<String> wanted,
            Map<String, List<String>> available) {
        Set<String> involved = new LinkedHashSet<>(names);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String name : wanted) {
                if (!involved.contains(name) && available.getOrDefault(name, List.of()).stream()
                        .anyMatch(involved::contains)) {
                    grew = involved.add(name);
                }
            }
        }
        return involved;
    }

    private static void visit(String name, Map<String, List<String>> available, Set<String> done,
            List<String> path, List<String> ordered) throws InvalidIsolation {
        if (done.contains(name)) {
            return;
        }
        int seen = path.indexOf(name);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(name);
            throw new InvalidIsolation("isolators depend on each other in a cycle: "
                    + String.join(" -> ", cycle), cycle);
        }
        path.add(name);
        for (String dependency : available.get(name)) {
            visit(dependency, available, done, path, ordered);
        }
        path.remove(path.size() - 1);
        done.add(name);
        ordered.add(name);
    }

    private static String quote(List<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add("'" + n + "'"));
        return String.join(", ", quoted);
    }

    private static String availableList(Map<String, List<String>> available) {
        return available.isEmpty() ? "none" : String.join(", ", new TreeSet<>(available.keySet()));
    }
}
