/**
 * The conformance suite of the image store extension point ({@code org.unicon.store}): an
 * abstract JUnit 5 class that every {@code ImageStore} implementation, ours and vendors',
 * extends in its own tests with a factory for the store and an image it can fetch.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.unicon.testkit.store;
