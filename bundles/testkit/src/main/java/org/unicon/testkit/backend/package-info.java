/**
 * The conformance suite every {@link org.unicon.provisioner.ProvisionerBackend} runs, ours and
 * vendors': extend {@link org.unicon.testkit.backend.ProvisionerBackendConformance} in a JUnit 5
 * test and return the backend. It builds its own layers in the store's overlay form with
 * {@link org.unicon.testkit.backend.LayerBuilder}, compares trees with
 * {@link org.unicon.testkit.backend.FileTree}, and uses {@code umoci unpack} as the reference.
 * It mounts, so it runs as root on Linux.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.testkit.backend;
