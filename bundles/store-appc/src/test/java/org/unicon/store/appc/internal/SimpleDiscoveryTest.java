package org.unicon.store.appc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The URI template of Mesos's simple discovery and the prefixes it accepts. */
class SimpleDiscoveryTest {

    @Test
    void thePrefixIsPrependedToNameVersionOsArch() {
        AppcReference worker = AppcReference.of("example.com/reduce-worker", Map.of("version", "1.0.0"), Optional.empty());

        assertEquals(URI.create("file:///tmp/appc/example.com/reduce-worker-1.0.0-linux-amd64.aci"),
                SimpleDiscovery.parse("file:///tmp/appc/").locate(worker));
        assertEquals(URI.create("http://example.com/reduce-worker-1.0.0-linux-amd64.aci"),
                SimpleDiscovery.parse("http://").locate(worker));
        assertEquals(URI.create("https://mirror.example.org/aci/example.com/reduce-worker-1.0.0-linux-amd64.aci"),
                SimpleDiscovery.parse("https://mirror.example.org/aci/").locate(worker));
    }

    @Test
    void labelsFillTheTemplateAndDefaultToLatestLinuxAmd64() {
        SimpleDiscovery discovery = SimpleDiscovery.parse("http://127.0.0.1:8080/");
        assertEquals(URI.create("http://127.0.0.1:8080/app-latest-linux-amd64.aci"),
                discovery.locate(AppcReference.of("app", Map.of(), Optional.empty())));
        assertEquals(URI.create("http://127.0.0.1:8080/app-2-freebsd-arm64.aci"), discovery.locate(
                AppcReference.of("app", Map.of("version", "2", "os", "freebsd", "arch", "arm64"), Optional.empty())));
    }

    @Test
    void anAbsolutePathIsAFilePrefixAsInMesos() {
        assertEquals("file:///srv/aci/", SimpleDiscovery.parse("/srv/aci/").prefix());
    }

    @Test
    void otherPrefixesAreRefusedNamingTheKey() {
        for (String bad : List.of("", "ftp://example.com/", "hdfs://namenode:9000/aci/", "relative/dir/",
                "file://host/aci/", "file:///srv/../etc/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimpleDiscovery.parse(bad));
            assertTrue(e.getMessage().startsWith("unicon.store.appc: appc_simple_discovery_uri_prefix is '" + bad + "'"),
                    e.getMessage());
        }
    }
}
