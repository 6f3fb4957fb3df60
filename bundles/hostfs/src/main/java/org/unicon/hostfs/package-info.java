/**
 * The host's mount table, and taking mounts off and deleting directory trees safely, for plugins
 * that make mounts (provisioner backends, isolators, their tests).
 *
 * <p>{@link org.unicon.hostfs.MountTable} lists what is mounted at or below a directory, as this
 * process sees it. {@link org.unicon.hostfs.Unmounter} takes those mounts off from the top down,
 * retrying busy ones before it detaches them lazily. {@link org.unicon.hostfs.TreeDeleter}
 * deletes a tree without following a symbolic link and without reaching through a mount inside
 * it, so that a rootfs holding links to anywhere on the host, or a volume still mounted into it,
 * never costs a host file.
 *
 * <p>All classes are stateless and safe for concurrent use. Linux only; unmounting needs
 * CAP_SYS_ADMIN in the mount namespace that owns the mounts.
 */
@Export
@Version("1.1.0")
package org.unicon.hostfs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
