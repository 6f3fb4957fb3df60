/**
 * The v1 agent API messages ({@code Call}, {@code Response}) for standalone containers, wire
 * compatible with Mesos's {@code mesos.v1.agent} protobufs in JSON and binary form.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.model.agent;
