package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The parsing parts of the registry protocol: challenges, manifests, credentials, endpoints. */
class RegistryProtocolTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @Test
    void challengesWithSeveralParametersAndChallenges() {
        List<AuthChallenge> cs = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                        + "scope=\"repository:a/b:pull\",scope=\"repository:c/d:pull,push\", Basic realm=\"x, y\"",
                "Custom token68=="));
        assertEquals(3, cs.size());
        assertEquals("bearer", cs.get(0).scheme());
        assertEquals("https://auth.example.com/token", cs.get(0).param("realm"));
        assertEquals("registry.example.com", cs.get(0).param("service"));
        assertEquals(List.of("repository:a/b:pull", "repository:c/d:pull,push"), cs.get(0).all("scope"));
        assertEquals("basic", cs.get(1).scheme());
        assertEquals("x, y", cs.get(1).param("realm"));
        assertEquals("custom", cs.get(2).scheme());
        assertTrue(AuthChallenge.parse(List.of("")).isEmpty());
        assertEquals("r", AuthChallenge.parse(List.of("BEARER REALM=r")).get(0).param("realm"));
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String manifest(String mediaType) {
        return "{\"schemaVersion\":2" + (mediaType == null ? "" : ",\"mediaType\":\"" + mediaType + "\"")
                + ",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + D1 + "\",\"size\":10},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + D2
                + "\",\"size\":20}]}";
    }

    @Test
    void manifestsOfBothFamilies() throws Exception {
        Manifest m = Manifest.parse(json(manifest(MediaTypes.DOCKER_MANIFEST)), MediaTypes.DOCKER_MANIFEST, "m");
        assertEquals(D2, assertInstanceOf(Manifest.Image.class, m).layers().get(0).digest().toString());
        Manifest oci = Manifest.parse(json(manifest(null)), MediaTypes.OCI_MANIFEST + "; charset=utf-8", "m");
        assertEquals(MediaTypes.OCI_MANIFEST, ((Manifest.Image) oci).mediaType());
    }

    @Test
    void aMediaTypeThatContradictsTheContentTypeIsRejected() {
        Exception e = assertThrows(PullException.class,
                () -> Manifest.parse(json(manifest(MediaTypes.OCI_MANIFEST)), MediaTypes.DOCKER_LIST, "manifest of image 'x'"));
        assertEquals("manifest of image 'x' says its mediaType is " + MediaTypes.OCI_MANIFEST + " but was served as "
                + MediaTypes.DOCKER_LIST, e.getMessage());
    }

    @Test
    void ambiguousDocumentsAndSchema1AreRejected() {
        String both = manifest(MediaTypes.OCI_MANIFEST).replace("\"layers\"", "\"manifests\":[],\"layers\"");
        assertTrue(assertThrows(PullException.class, () -> Manifest.parse(json(both), null, "m")).getMessage()
                .contains("ambiguous"));
        assertTrue(assertThrows(PullException.class, () -> Manifest.parse(json("{\"schemaVersion\":1,\"fsLayers\":[]}"),
                "application/json", "m")).getMessage().contains("schema 1"));
        assertTrue(assertThrows(PullException.class, () -> Manifest.parse(json("{\"mediaType\":\"text/html\"}"),
                null, "m")).getMessage().contains("not a Docker or OCI image manifest"));
    }

    @Test
    void descriptorsAreValidatedBeforeUse() {
        String badDigest = manifest(null).replace(D2, "sha256:../../x");
        assertEquals("m: invalid digest 'sha256:../../x'",
                assertThrows(PullException.class, () -> Manifest.parse(json(badDigest), null, "m")).getMessage());
        String negative = manifest(null).replace("\"size\":20", "\"size\":-1");
        assertTrue(assertThrows(PullException.class, () -> Manifest.parse(json(negative), null, "m")).getMessage()
                .contains("negative size"));
    }

    @Test
    void platformSelectionPicksLinuxAmd64OrListsTheOffer() throws Exception {
        String index = "{\"schemaVersion\":2,\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D1 + "\",\"size\":1,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + D2 + "\",\"size\":1,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
        Manifest.Index i = (Manifest.Index) Manifest.parse(json(index), MediaTypes.OCI_INDEX, "i");
        assertEquals(D2, PlatformSelection.select(i, "x").digest().toString());
        Manifest.Index armOnly = new Manifest.Index(i.mediaType(), List.of(i.manifests().get(0)));
        assertEquals("image 'x' has no linux/amd64 manifest; it offers linux/arm/v7",
                assertThrows(PullException.class, () -> PlatformSelection.select(armOnly, "x")).getMessage());
    }

    @Test
    void credentialsFromDockerConfig() throws Exception {
        RegistryCredentials c = RegistryCredentials.parse("{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"dTE6cDE=\"},"
                + "\"http://127.0.0.1:5000/v2/\":{\"username\":\"u2\",\"password\":\"p:2\"},"
                + "\"nothing\":{}}}", "docker_config");
        assertEquals("u1", c.forHost("registry-1.docker.io").username());
        assertEquals("p1", c.forHost("docker.io").password());
        assertEquals("p:2", c.forHost("127.0.0.1:5000").password());
        assertNull(c.forHost("127.0.0.1:5001"));
        assertNull(c.forHost("nothing"));
        RegistryCredentials legacy = RegistryCredentials.parse("{\"127.0.0.1:5000\":{\"auth\":\"dTM6cDM=\"}}", "x");
        assertEquals("u3", legacy.forHost("127.0.0.1:5000").username());
        assertEquals("u3", c.overriddenBy(legacy).forHost("127.0.0.1:5000").username(), "the image's own config wins");
        assertEquals("u3", legacy.forHost("127.0.0.1:5000").toString(), "no password in toString");
        assertEquals("x entry '127.0.0.1:5000': 'auth' is not base64", assertThrows(PullException.class,
                () -> RegistryCredentials.parse("{\"127.0.0.1:5000\":{\"auth\":\"***\"}}", "x")).getMessage());
    }

    @Test
    void registryEndpoints() {
        URI configured = URI.create("http://10.0.0.1:5000");
        assertEquals(configured, RegistryTarget.baseFor(null, configured));
        assertEquals(URI.create("https://registry-1.docker.io"), RegistryTarget.baseFor(null, null));
        assertEquals(URI.create("https://registry-1.docker.io"), RegistryTarget.baseFor("docker.io", configured));
        assertEquals(configured, RegistryTarget.baseFor("10.0.0.1:5000", configured), "the configured scheme is kept");
        assertEquals(URI.create("http://127.0.0.1:5000"), RegistryTarget.baseFor("127.0.0.1:5000", null));
        assertEquals(URI.create("http://localhost:5000"), RegistryTarget.baseFor("localhost:5000", null));
        assertEquals(URI.create("https://quay.io"), RegistryTarget.baseFor("quay.io", null));
        assertEquals(URI.create("http://h:5000"), RegistryTarget.parseRegistryUrl("http://h:5000/some/path"));
        assertThrows(IllegalArgumentException.class, () -> RegistryTarget.parseRegistryUrl("ftp://h"));
        assertThrows(IllegalArgumentException.class, () -> RegistryTarget.parseRegistryUrl("relative/dir"));
    }
}
