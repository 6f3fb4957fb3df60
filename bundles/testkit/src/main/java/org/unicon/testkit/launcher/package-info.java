/**
 * The conformance suite of the launcher extension point ({@code org.unicon.launcher}): extend
 * {@link org.unicon.testkit.launcher.LauncherConformance} in a JUnit 5 test, say how to make the
 * launcher and what launch info the core would send it, and the suite checks what the
 * {@link org.unicon.launcher.Launcher} contract promises with real processes: the command held
 * until start, raw wait statuses, signals, destroy (idempotent, every process gone, pending exit
 * stages completed), unknown containers, and recovery by a second instance of the launcher
 * (reattach, exits that happened meanwhile, orphans). {@link org.unicon.testkit.launcher.TestLaunchRequest}
 * and {@link org.unicon.testkit.launcher.TestLaunchedContainer} stand for what the core passes;
 * {@link org.unicon.testkit.launcher.HiddenCgroups} finds cgroups a runtime left beneath a hybrid
 * host's cgroup2 mount (1.1).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.unicon.testkit.launcher;
