/**
 * The launcher extension point: how a container's process comes to exist. A launcher creates
 * the container's init paused (so that isolators can isolate it before it runs), lets it run,
 * signals it, reports its raw wait status, and kills every process of the container on destroy.
 * {@code posix} runs plain processes; {@code linux} realises the launch info as an OCI bundle
 * under a per-container monitor. Launchers are services named by {@code unicon.launcher.name}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.unicon.launcher;
