package org.unicon.launcher.linux.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicon.model.ContainerMountInfo;

/**
 * Translates the launch contract's mounts (raw {@code MS_*} flags, Mesos style) into OCI
 * {@code mounts} entries, which the runtime performs in order inside the container's mount
 * namespace. A propagation-only mount of {@code /} becomes the spec's {@code rootfsPropagation}.
 */
final class OciMounts {

    static final int MS_RDONLY = 1;
    static final int MS_NOSUID = 2;
    static final int MS_NODEV = 4;
    static final int MS_NOEXEC = 8;
    static final int MS_REMOUNT = 32;
    static final int MS_BIND = 4096;
    static final int MS_REC = 16384;
    static final int MS_PRIVATE = 1 << 18;
    static final int MS_SLAVE = 1 << 19;
    static final int MS_SHARED = 1 << 20;
    static final int MS_STRICTATIME = 1 << 24;
    private static final int PROPAGATION = MS_PRIVATE | MS_SLAVE | MS_SHARED;
    private static final int KNOWN = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_BIND | MS_REC
            | PROPAGATION | MS_STRICTATIME;

    /** The spec's {@code mounts} and, if a mount asked for it, {@code linux.rootfsPropagation}. */
    record Translated(ArrayNode mounts, String rootfsPropagation) {
    }

    private OciMounts() {
    }

    static Translated translate(String containerId, List<ContainerMountInfo> mounts) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        String rootfsPropagation = null;
        for (ContainerMountInfo m : mounts) {
            String where = "mount of '" + m.getSource() + "' at '" + m.getTarget() + "' for container '"
                    + containerId + "'";
            int flags = m.getFlags();
            if ((flags & ~KNOWN) != 0) {
                throw new IllegalArgumentException(where + " has flags 0x" + Integer.toHexString(flags & ~KNOWN)
                        + " that an OCI runtime cannot express (MS_REMOUNT and others are not supported)");
            }
            if (!m.getTarget().startsWith("/")) {
                throw new IllegalArgumentException(where + ": the target must be an absolute path inside the container");
            }
            String type = m.getType().equals("none") ? "" : m.getType();
            boolean bind = (flags & MS_BIND) != 0;
            if (!bind && type.isEmpty()) {
                if ((flags & PROPAGATION) != 0 && m.getTarget().equals("/")) {
                    rootfsPropagation = propagation(flags);
                    continue;
                }
                throw new IllegalArgumentException(where + " has neither a file system type nor MS_BIND"
                        + " (only '/' may change just its propagation)");
            }
            List<String> options = new ArrayList<>();
            if (bind) {
                options.add((flags & MS_REC) != 0 ? "rbind" : "bind");
            }
            if ((flags & MS_RDONLY) != 0) {
                options.add("ro");
            }
            if ((flags & MS_NOSUID) != 0) {
                options.add("nosuid");
            }
            if ((flags & MS_NODEV) != 0) {
                options.add("nodev");
            }
            if ((flags & MS_NOEXEC) != 0) {
                options.add("noexec");
            }
            if ((flags & MS_STRICTATIME) != 0) {
                options.add("strictatime");
            }
            if ((flags & PROPAGATION) != 0) {
                options.add(propagation(flags));
            }
            for (String data : m.getOptions().split(",")) {
                if (!data.isBlank()) {
                    options.add(data.strip());
                }
            }
            ObjectNode entry = out.addObject();
            entry.put("destination", m.getTarget());
            entry.put("type", bind ? "bind" : type);
            entry.put("source", m.getSource());
            ArrayNode opts = entry.putArray("options");
            options.forEach(opts::add);
        }
        return new Translated(out, rootfsPropagation);
    }

    /** OCI's name of a propagation change: {@code rslave}, {@code private}, ... */
    private static String propagation(int flags) {
        String kind = (flags & MS_SHARED) != 0 ? "shared" : (flags & MS_SLAVE) != 0 ? "slave" : "private";
        return ((flags & MS_REC) != 0 ? "r" : "") + kind;
    }
}
