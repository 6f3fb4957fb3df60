package org.unicon.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The agent configuration's checks, on configurations made as DS makes them (defaults + given keys). */
class AgentConfigurationTest {

    /** A Config whose methods answer the given values and the annotation's defaults otherwise. */
    private static ContainerizerComponent.Config config(Map<String, String> given) {
        return (ContainerizerComponent.Config) Proxy.newProxyInstance(AgentConfigurationTest.class.getClassLoader(),
                new Class<?>[] {ContainerizerComponent.Config.class}, (proxy, method, args) -> {
                    String key = method.getName().replace("__", "_");
                    return given.containsKey(key) ? given.get(key) : method.getDefaultValue();
                });
    }

    private static String refused(Map<String, String> given) {
        return assertThrows(IllegalArgumentException.class, () -> ContainerizerComponent.settings(config(given)))
                .getMessage();
    }

    @Test
    void defaultsAreUsable() {
        AgentSettings settings = ContainerizerComponent.settings(config(Map.of()));
        assertEquals("posix", settings.launcher());
        assertEquals(List.of(), settings.isolation());
    }

    @Test
    void dockerImagesNeedFilesystemLinuxDockerRuntimeAndTheLinuxLauncher() {
        Map<String, String> given = new HashMap<>(Map.of("image_providers", "docker"));
        assertEquals("unicon.agent: image_providers is 'DOCKER', which needs filesystem/linux and docker/runtime in"
                + " isolation (it is '')", refused(given));
        given.put("isolation", "filesystem/linux,docker/runtime");
        assertEquals("unicon.agent: image_providers is 'DOCKER', which needs launcher=linux (it is 'posix')",
                refused(given));
        given.put("launcher", "linux");
        assertEquals(List.of("DOCKER"), ContainerizerComponent.settings(config(given)).imageProviders());
    }

    @Test
    void appcImagesNeedAppcRuntimeAsDockerImagesNeedDockerRuntime() {
        Map<String, String> given = new HashMap<>(Map.of("image_providers", "appc", "launcher", "linux",
                "isolation", "filesystem/linux,docker/runtime"));
        assertEquals("unicon.agent: image_providers is 'APPC', which needs appc/runtime in isolation (it is"
                + " 'filesystem/linux,docker/runtime')", refused(given));
        given.put("image_providers", "docker,appc");
        assertEquals("unicon.agent: image_providers is 'DOCKER,APPC', which needs appc/runtime in isolation (it is"
                + " 'filesystem/linux,docker/runtime')", refused(given));
        given.put("isolation", "filesystem/linux,appc/runtime");
        assertEquals("unicon.agent: image_providers is 'DOCKER,APPC', which needs docker/runtime in isolation (it is"
                + " 'filesystem/linux,appc/runtime')", refused(given));
        given.put("isolation", "filesystem/linux,docker/runtime,appc/runtime");
        assertEquals(List.of("DOCKER", "APPC"), ContainerizerComponent.settings(config(given)).imageProviders());
        given.put("image_providers", "APPC");
        given.put("isolation", "filesystem/linux,appc/runtime");
        assertEquals(List.of("APPC"), ContainerizerComponent.settings(config(given)).imageProviders());
    }

    @Test
    void aContainerHasOneFilesystemIsolator() {
        assertEquals("unicon.agent: isolation names filesystem/posix and filesystem/linux; a container has exactly"
                + " one filesystem isolator", refused(Map.of("isolation", "filesystem/posix,filesystem/linux")));
    }

    @Test
    void withoutAFilesystemIsolatorFilesystemPosixIsAddedWhenInstalled() {
        assertEquals(List.of("filesystem/posix", "cgroups/mem"),
                LaunchPlanner.effectiveIsolation(List.of("cgroups/mem"), java.util.Set.of("filesystem/posix", "cgroups/mem")));
        assertEquals(List.of("filesystem/linux"),
                LaunchPlanner.effectiveIsolation(List.of("filesystem/linux"), java.util.Set.of("filesystem/posix")));
        assertEquals(List.of(), LaunchPlanner.effectiveIsolation(List.of(), java.util.Set.of()));
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("unicon.agent: work_dir must be an absolute path, not 'relative'",
                refused(Map.of("work_dir", "relative")));
        assertEquals("unicon.agent: image_providers has 'OCI'; the image types are DOCKER and APPC",
                refused(Map.of("image_providers", "OCI")));
        assertEquals("unicon.agent: launcher is empty; name a launcher such as posix", refused(Map.of("launcher", " ")));
    }
}
