/**
 * The provisioner backend extension point: how a stack of image layers becomes a container's
 * root filesystem (overlay, aufs, copy, bind). Backends are services named by
 * {@code unicon.backend.name}; the core picks overlay, then aufs, then copy when none is
 * configured, skipping those that say they cannot work on the host.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.provisioner;
