package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aSinglePluginConfigBecomesAListOfOne() throws IOException {
        NetworkConfig config = NetworkConfig.parse(JSON.readTree("{\"cniVersion\":\"0.4.0\",\"name\":\"one\","
                + "\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\"}}"), "one.conf");
        assertEquals("one", config.name());
        assertEquals(List.of("bridge", "host-local"), config.pluginTypes());
        assertFalse(config.plugins().get(0).has("name"), "name and cniVersion belong to the network");
        assertTrue(config.supportsCheck());
        assertFalse(config.mapsPorts());
    }

    @Test
    void aListKnowsWhetherItMapsPorts() throws IOException {
        NetworkConfig config = NetworkConfig.parse(JSON.readTree("{\"cniVersion\":\"0.3.1\",\"name\":\"web\","
                + "\"plugins\":[{\"type\":\"bridge\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}"),
                "web.conflist");
        assertTrue(config.mapsPorts());
        assertFalse(config.supportsCheck(), "CHECK came with CNI 0.4.0");
        assertEquals(config, NetworkConfig.parse(config.toJson(), "web.conflist"), "the list form reads back the same");
    }

    @Test
    void aPluginTypeThatIsNotAFileNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse(
                JSON.readTree("{\"name\":\"evil\",\"type\":\"../../bin/sh\"}"), "evil.conf"));
        assertTrue(e.getMessage().contains("evil.conf") && e.getMessage().contains("../../bin/sh"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse(
                JSON.readTree("{\"name\":\"evil\",\"type\":\"bridge\",\"ipam\":{\"type\":\"/bin/sh\"}}"), "evil.conf"));
        assertTrue(e.getMessage().contains("/bin/sh"), e.getMessage());
    }

    @Test
    void missingNamesAndTypesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.parse(JSON.readTree("{\"type\":\"bridge\"}"), "x.conf"));
        assertEquals("x.conf has no 'name'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NetworkConfig.parse(JSON.readTree("{\"name\":\"n\",\"plugins\":[]}"), "x.conflist"));
        assertTrue(e.getMessage().contains("non-empty"), e.getMessage());
    }

    @Test
    void theDirectoryIsReadAtEveryLookupAndAnUnknownNameListsTheKnownOnes() throws IOException {
        NetworkConfigs configs = new NetworkConfigs(Optional.of(dir));
        Files.writeString(dir.resolve("a.conflist"), "{\"name\":\"alpha\",\"plugins\":[{\"type\":\"bridge\"}]}");
        Files.writeString(dir.resolve("broken.conf"), "{not json");
        Files.writeString(dir.resolve("README"), "not a network");
        assertEquals("alpha", configs.get("alpha").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> configs.get("beta"));
        assertEquals("network 'beta' is not configured: no configuration in " + dir
                + " has that name (configured networks: alpha)", e.getMessage());

        Files.writeString(dir.resolve("b.conf"), "{\"name\":\"beta\",\"type\":\"bridge\"}");
        assertEquals("beta", configs.get("beta").name(), "a network added while running is found");
        Files.writeString(dir.resolve("c.conf"), "{\"name\":\"beta\",\"type\":\"macvlan\"}");
        e = assertThrows(IllegalArgumentException.class, () -> configs.get("beta"));
        assertTrue(e.getMessage().contains("configured twice"), e.getMessage());
    }

    @Test
    void withoutAConfigDirectoryNoNetworkExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkConfigs(Optional.empty()).get("any"));
        assertTrue(e.getMessage().contains("network_cni_config_dir"), e.getMessage());
    }
}
