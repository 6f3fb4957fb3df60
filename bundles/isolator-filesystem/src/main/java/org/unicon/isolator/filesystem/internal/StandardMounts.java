package org.unicon.isolator.filesystem.internal;

import static org.unicon.isolator.filesystem.internal.MountFlags.MS_BIND;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_NODEV;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_NOEXEC;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_NOSUID;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_RDONLY;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_REC;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_SLAVE;
import static org.unicon.isolator.filesystem.internal.MountFlags.MS_STRICTATIME;

import java.util.List;

import org.unicon.model.ContainerMountInfo;

/**
 * The mounts every container with an image gets, in the order they must be made. The device
 * nodes (/dev/null, zero, full, random, urandom, tty, the /dev/ptmx, fd and std* links) are
 * not here: the OCI runtime creates them in the /dev tmpfs (runtime-spec "Default Devices";
 * runc and crun do it whenever /dev is not a bind mount), and doing it twice would fail.
 */
final class StandardMounts {
    /** What Mesos's filesystem/linux masks (bind-mounts /dev/null or an empty tmpfs over). */
    static final List<String> MASKED_PATHS = List.of(
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/latency_stats",
            "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/sys/firmware");

    private StandardMounts() {}

    static List<ContainerMountInfo> pseudoFilesystems() {
        return List.of(
                filesystem("proc", "/proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, null),
                filesystem("sysfs", "/sys", MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, null),
                filesystem("tmpfs", "/dev", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
                filesystem("devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"),
                filesystem("tmpfs", "/dev/shm", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"),
                filesystem("mqueue", "/dev/mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV, null));
    }

    /** A pseudo filesystem: its source is the filesystem's name, as mount(8) shows it. */
    static ContainerMountInfo filesystem(String type, String target, int flags, String options) {
        ContainerMountInfo.Builder mount = ContainerMountInfo.newBuilder()
                .setSource(type).setTarget(target).setType(type).setFlags(flags);
        if (options != null) {
            mount.setOptions(options);
        }
        return mount.build();
    }

    /**
     * A recursive bind mount of a host directory (or file), a slave of the host's: mounts made on
     * the host below the source appear in the container, never the other way round.
     */
    static ContainerMountInfo bind(String source, String target, boolean readOnly) {
        return ContainerMountInfo.newBuilder().setSource(source).setTarget(target)
                .setFlags(MS_BIND | MS_REC | MS_SLAVE | (readOnly ? MS_RDONLY : 0))
                .build();
    }

    /** A read-only bind mount of one file the isolator wrote. */
    static ContainerMountInfo file(String source, String target) {
        return ContainerMountInfo.newBuilder().setSource(source).setTarget(target)
                .setFlags(MS_BIND | MS_RDONLY)
                .build();
    }
}
