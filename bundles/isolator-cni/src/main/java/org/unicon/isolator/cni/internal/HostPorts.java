package org.unicon.isolator.cni.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host ports that containers' port mappings hold. A host port belongs to at most one
 * container at a time, whatever the protocol (as Mesos's {@code ports} resource); a mapping
 * whose host port is 0 gets the lowest free port of the configured ranges. Thread-safe:
 * containers prepare concurrently.
 */
final class HostPorts {
    private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");

    record Range(int begin, int end) {
        @Override
        public String toString() {
            return begin + "-" + end;
        }
    }

    private volatile List<Range> ranges;
    private final Map<Integer, String> owners = new HashMap<>();

    HostPorts(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses Mesos's range syntax, {@code [31000-32000]} or {@code [8000-9000,31000-32000]} (the
     * brackets are optional; a single port is a range of one).
     */
    static List<Range> parse(String text) {
        String body = text.strip();
        if (body.startsWith("[") && body.endsWith("]")) {
            body = body.substring(1, body.length() - 1);
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : body.split(",")) {
            Matcher m = RANGE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("ports '" + text + "' is not a list of port ranges such as"
                        + " [31000-32000] (the part '" + part.strip() + "' is not BEGIN-END)");
            }
            int begin = Integer.parseInt(m.group(1));
            int end = m.group(2) == null ? begin : Integer.parseInt(m.group(2));
            if (begin < 1 || end > 65535 || begin > end) {
                throw new IllegalArgumentException("ports '" + text + "' has the range " + begin + "-" + end
                        + "; ports are 1-65535 and a range's begin is not after its end");
            }
            ranges.add(new Range(begin, end));
        }
        return ranges;
    }

    /** New launches take ports from {@code next}; ports already held stay held. */
    void ranges(List<Range> next) {
        ranges = List.copyOf(next);
    }

    /**
     * Takes the host ports for one container's mappings, all or none: fixed ports must be free,
     * and each 0 becomes the lowest free port of the ranges.
     *
     * @param wanted the requested host ports (0 = any), in order
     * @return the assigned ports, in the same order
     */
    synchronized List<Integer> take(String container, List<Integer> wanted) {
        List<Integer> assigned = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        try {
            for (int port : wanted) {
                if (port != 0) {
                    claim(container, port, "host port " + port + " is already mapped for container '%s'");
                    taken.add(port);
                }
            }
            for (int port : wanted) {
                int chosen = port != 0 ? port : lowestFree(container);
                if (port == 0) {
                    owners.put(chosen, container);
                    taken.add(chosen);
                }
                assigned.add(chosen);
            }
            return assigned;
        } catch (RuntimeException e) {
            taken.forEach(owners::remove);
            throw e;
        }
    }

    /** Marks ports as held again after a restart; a port held by another container is reported. */
    synchronized void restore(String container, List<Integer> ports) {
        for (int port : ports) {
            claim(container, port, "host port " + port + " of container '" + container
                    + "' is also mapped for container '%s'");
        }
    }

    /** Frees every port the container holds. */
    synchronized void release(String container) {
        owners.values().removeIf(container::equals);
    }

    synchronized Map<Integer, String> held() {
        return Map.copyOf(owners);
    }

    private void claim(String container, int port, String conflict) {
        String owner = owners.get(port);
        if (owner != null && !owner.equals(container)) {
            throw new IllegalArgumentException(String.format(conflict, owner));
        }
        owners.put(port, container);
    }

    private int lowestFree(String container) {
        for (Range range : ranges) {
            for (int port = range.begin(); port <= range.end(); port++) {
                if (!owners.containsKey(port)) {
                    return port;
                }
            }
        }
        throw new IllegalArgumentException("no free host port is left in " + ranges
                + " for a port mapping with host_port 0 of container '" + container
                + "' (every one is mapped for another container; widen ports in " + CniConfig.PID + ")");
    }
}
