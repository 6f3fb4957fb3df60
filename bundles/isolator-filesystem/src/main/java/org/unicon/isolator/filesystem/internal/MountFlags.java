package org.unicon.isolator.filesystem.internal;

/**
 * The raw mount(2) and clone(2) flags of the launch contract ({@code ContainerMountInfo.flags},
 * {@code ContainerLaunchInfo.clone_namespaces}); the linux launcher turns them into OCI options.
 */
final class MountFlags {
    static final int MS_RDONLY = 1;
    static final int MS_NOSUID = 2;
    static final int MS_NODEV = 4;
    static final int MS_NOEXEC = 8;
    static final int MS_BIND = 4096;
    static final int MS_REC = 16384;
    static final int MS_PRIVATE = 1 << 18;
    static final int MS_SLAVE = 1 << 19;
    static final int MS_STRICTATIME = 1 << 24;

    static final int CLONE_NEWNS = 0x00020000;
    static final int CLONE_NEWUTS = 0x04000000;

    private MountFlags() {}
}
