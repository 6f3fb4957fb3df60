/**
 * The test isolator {@code test/versioned}, shipped as a bundle that the tests build on the fly
 * with TinyBundles: version 1.0.0 ({@code v100}) keeps its per-container state in format A,
 * version 1.1.0 ({@code v110}) in format B and migrates A when it recovers. Both write what they
 * do into the container's sandbox ({@link org.unicon.itests.paxexam.versioned.Journal}), where
 * the tests read it. Not exported: each bundle carries its own copy of these classes.
 */
package org.unicon.itests.paxexam.versioned;
