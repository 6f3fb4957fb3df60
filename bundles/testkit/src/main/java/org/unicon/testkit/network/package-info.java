/**
 * Test fixtures for network isolators: {@link org.unicon.testkit.network.StandInHost}, a network
 * namespace that stands in for the host so that CNI plugins under test never touch the machine's
 * network.
 */
@Export
@Version("1.0.0")
package org.unicon.testkit.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
