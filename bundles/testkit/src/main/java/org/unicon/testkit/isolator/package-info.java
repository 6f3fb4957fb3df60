/**
 * The conformance suite of the isolator extension point ({@code org.unicon.isolator}): extend
 * {@link org.unicon.testkit.isolator.IsolatorConformance} in a JUnit 5 test, say how to make
 * the isolator and which class registers it, and the suite checks what every isolator owes the
 * core (service properties, never setting rootfs or user, idempotent cleanup, recovery without
 * state, nothing left behind). {@link org.unicon.testkit.isolator.TestContainerContext} and
 * {@link org.unicon.testkit.isolator.TestRecoveredContainer} let an isolator's own tests call
 * {@code prepare} and {@code recover} without the core.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.unicon.testkit.isolator;
