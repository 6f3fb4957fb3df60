/**
 * The containerizer: the core service that launches, watches and destroys containers through
 * the plugins (isolators, launchers, image stores, provisioner backends). The agent's HTTP API
 * and the operator shell are its clients; so may be any other bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.containerizer;
