package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.unicon.model.ImageRuntimeConfig;

/** Reading manifests as actool writes them, and matching them against what was asked for. */
class AciManifestTest {
    private static final String HELLO = AciBuilder.image("example.com/hello", "1.0.0")
            .exec("/bin/sh", "-c", "echo $GREETING").env("GREETING", "hi").workingDirectory("/srv")
            .dependsOn("example.com/busybox", null, "version", "1.35.0").manifest();

    @Test
    void readsNameLabelsAppAndDependencies() throws Exception {
        AciManifest m = parse(HELLO);

        assertEquals("example.com/hello", m.name());
        assertEquals(Map.of("version", "1.0.0", "os", "linux", "arch", "amd64"), m.labels());
        assertEquals(List.of("/bin/sh", "-c", "echo $GREETING"), m.app().orElseThrow().exec());
        assertEquals(List.of("example.com/busybox,version=1.35.0,os=linux,arch=amd64"),
                m.dependencies().stream().map(AppcReference::key).toList());
    }

    @Test
    void theRuntimeConfigHasExecAsCmdSoThatArgumentsReplaceExecsOwn() throws Exception {
        assertEquals(ImageRuntimeConfig.newBuilder().addAllCmd(List.of("/bin/sh", "-c", "echo $GREETING"))
                .addEnv("GREETING=hi").setWorkingDir("/srv").setUser("0:0").build(), parse(HELLO).runtimeConfig());
    }

    @Test
    void anImageWithoutAppHasAnEmptyRuntimeConfig() throws Exception {
        String noApp = AciBuilder.image("example.com/base", "1").manifest();
        assertEquals(ImageRuntimeConfig.getDefaultInstance(), parse(noApp).runtimeConfig());
    }

    @Test
    void labelsAskedForMustMatch() throws Exception {
        AciManifest m = parse(HELLO);
        assertEquals(Optional.empty(), m.mismatch(ref("example.com/hello", Map.of("version", "1.0.0"))));
        assertEquals(Optional.empty(), m.mismatch(ref("example.com/hello", Map.of("version", "latest"))),
                "latest is whatever version is served");
        assertEquals(Optional.of("label mismatch: it has arch=amd64, but arch=arm64 was asked for"),
                m.mismatch(ref("example.com/hello", Map.of("arch", "arm64"))));
        assertEquals(Optional.of("label mismatch: it has no label 'channel', but channel=beta was asked for"),
                m.mismatch(ref("example.com/hello", Map.of("channel", "beta"))));
        assertEquals(Optional.of("it is named 'example.com/hello', not 'example.com/other'"),
                m.mismatch(ref("example.com/other", Map.of())));
    }

    @Test
    void aManifestWithoutOsOrArchFitsAnyPlatform() throws Exception {
        AciManifest m = parse(HELLO.replace("{\"name\":\"os\",\"value\":\"linux\"},", ""));
        assertEquals(Optional.empty(), m.mismatch(ref("example.com/hello", Map.of("os", "linux", "version", "1.0.0"))));
    }

    @Test
    void malformedParts() {
        for (String[] c : List.of(
                new String[] {HELLO.replace("\"acVersion\":\"0.8.11\",", ""), "acVersion is missing"},
                new String[] {HELLO.replace("\"workingDirectory\":\"/srv\"", "\"workingDirectory\":\"srv\""),
                    "app.workingDirectory 'srv' is not an absolute path"},
                new String[] {HELLO.replace("\"name\":\"GREETING\"", "\"name\":\"A=B\""), "app.environment has the name 'A=B'"},
                new String[] {HELLO.replace("example.com/busybox", "../busybox"), "dependencies[0]: appc image name '../busybox'"},
                new String[] {HELLO.replace("\"exec\":[", "\"exec\":[1,"), "app.exec holds a value that is not a string"})) {
            AciManifest.MalformedException e = assertThrows(AciManifest.MalformedException.class, () -> parse(c[0]));
            assertTrue(e.getMessage().startsWith("malformed manifest in test: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "'" + e.getMessage() + "' says " + c[1]);
        }
    }

    private static AciManifest parse(String json) throws AciManifest.MalformedException {
        return AciManifest.parse(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static AppcReference ref(String name, Map<String, String> labels) {
        return AppcReference.of(name, labels, Optional.empty());
    }
}
