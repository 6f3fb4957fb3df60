package org.unicon.itests.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * What the Pax Exam framework runs: the bundles the runtime assembly resolved from
 * runtime/unicon.bndrun (runtime/target/export/unicon/, the folder the agent itself boots), on
 * Felix 7.0.5 as the agent runs, with the agent's framework settings. Runs on the driver side.
 *
 * <p>Left out: the interactive Gogo console (gogo.jline and jline), which would read the test
 * JVM's standard input, where Surefire talks to its fork. Added: Pax Exam's own bundles (with
 * the SLF4J API they log through; no pax-logging, which would take over the agent's JUL logging)
 * and a log service, through which the tests read what SCR logs.
 */
final class RuntimeOptions {
    /** Bundles of the runtime that the tests do not boot, with the reason above. */
    static final List<String> LEFT_OUT = List.of("jline-", "org.apache.felix.gogo.jline-");

    private RuntimeOptions() {}

    static Option[] agentRuntime(Option... more) throws IOException {
        List<Option> options = new ArrayList<>();
        for (Path jar : runtimeBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject());
        options.add(junitBundles());
        // Pax Exam's bundles log through SLF4J 1.7 (the runtime has none): the API its link names,
        // and the simple binding of the same version (a fragment of the API bundle).
        options.add(bundle("link:classpath:META-INF/links/org.slf4j.api.link"));
        options.add(mavenBundle("org.slf4j", "slf4j-simple", "1.7.36").noStart());
        // The agent's org.osgi.framework.system.packages.extra; Pax Exam adds its own packages to it.
        options.add(systemPackage("com.sun.net.httpserver"));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        options.add(frameworkProperty(VersionedIsolatorJars.DIRECTORY_PROPERTY)
                .value(VersionedIsolatorJars.build().toString()));
        options.add(cleanCaches());
        options.addAll(List.of(more));
        return options.toArray(Option[]::new);
    }

    /** The jars the runtime assembly resolved, less {@link #LEFT_OUT}. */
    static List<Path> runtimeBundles() throws IOException {
        Path export = Repository.root().resolve("runtime/target/export/unicon");
        if (!Files.isDirectory(export)) {
            throw new IllegalStateException(export + " is missing: build the runtime first"
                    + " (mvn -B -o -q install -f runtime/pom.xml)");
        }
        try (Stream<Path> jars = Files.list(export)) {
            return jars.filter(jar -> jar.getFileName().toString().endsWith(".jar"))
                    .filter(jar -> LEFT_OUT.stream().noneMatch(prefix -> leftOut(jar, prefix)))
                    .sorted().toList();
        }
    }

    private static boolean leftOut(Path jar, String prefix) {
        String name = jar.getFileName().toString();
        return name.startsWith(prefix) && Character.isDigit(name.charAt(prefix.length()));
    }
}
