/**
 * The isolator extension point. An isolator isolates one aspect of a container (its cgroups,
 * its filesystem, its network...) through the Mesos lifecycle: {@code recover} after a restart,
 * {@code prepare} before the container's process exists, {@code isolate} once it exists but
 * before it runs, {@code watch}/{@code update}/{@code usage}/{@code status} while it runs, and
 * {@code cleanup} after every process of it is gone. Isolators are OSGi services named by the
 * {@code unicon.isolator.name} property; they declare which isolators must prepare before them
 * ({@code unicon.isolator.requires}) and share data only through typed {@link
 * org.unicon.isolator.ContextKey context keys}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.unicon.isolator;
