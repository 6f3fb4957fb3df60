package org.unicon.store.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicon.store.PullProgress;
import org.unicon.store.StoredImage;

/**
 * Pulls from real registries that want credentials: htpasswd Basic, and Bearer tokens from a
 * token server started here; credentials from docker_config (inline JSON or a file) and from
 * the image's own pull config.
 */
class RegistryAuthTest {
    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    static TokenServer tokens;
    static RegistryProcess basic;
    static RegistryProcess token;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.start(shared.resolve("tokens"));
        basic = RegistryProcess.start(shared.resolve("basic"), RegistryProcess.Mode.BASIC, null);
        token = RegistryProcess.start(shared.resolve("token"), RegistryProcess.Mode.TOKEN, tokens);
        Path archive = Commands.busyboxArchive(shared.resolve("archives"), "busybox:latest", false);
        Path plain = shared.resolve("busybox.tar");
        Files.copy(archive, plain);
        for (RegistryProcess r : List.of(basic, token)) {
            Commands.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds",
                    RegistryProcess.USER + ":" + RegistryProcess.PASSWORD,
                    "docker-archive:" + plain, "docker://" + r.host() + "/probe/busybox:latest");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (basic != null) {
            basic.close();
        }
        if (token != null) {
            token.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    private static String good(RegistryProcess r) {
        return TestStores.auths(r.host(), RegistryProcess.USER, RegistryProcess.PASSWORD);
    }

    private static String bad(RegistryProcess r) {
        return TestStores.auths(r.host(), RegistryProcess.USER, "wrong");
    }

    @Test
    void basicAuthWithCredentialsFromDockerConfig() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), basic.url().toString(), good(basic))) {
            StoredImage s = store.get(TestStores.image(basic.host() + "/probe/busybox"), PullProgress.none());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
        }
    }

    @Test
    void dockerConfigMayBeAFileWithUsernameAndPassword() throws Exception {
        Path config = temp.resolve("config.json");
        Files.writeString(config, "{\"auths\":{\"http://" + basic.host() + "/v2/\":{\"username\":\"" + RegistryProcess.USER
                + "\",\"password\":\"" + RegistryProcess.PASSWORD + "\"}}}");
        try (DockerStore store = TestStores.store(temp.resolve("store"), basic.url().toString(), config.toString())) {
            assertFalse(store.get(TestStores.image(basic.host() + "/probe/busybox"), PullProgress.none()).layers().isEmpty());
        }
    }

    @Test
    void basicAuthWithWrongCredentialsIsRefusedClearly() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), basic.url().toString(), bad(basic))) {
            Exception e = assertThrows(PullException.class,
                    () -> store.get(TestStores.image(basic.host() + "/probe/busybox"), PullProgress.none()));
            assertEquals("registry " + basic.host() + " refused credentials for 'probe/busybox' (401) while pulling image '"
                    + basic.host() + "/probe/busybox'", e.getMessage());
            assertTrue(store.images().isEmpty());
        }
    }

    @Test
    void basicAuthWithoutCredentialsSaysTheyAreNeeded() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), basic.url().toString())) {
            Exception e = assertThrows(PullException.class,
                    () -> store.get(TestStores.image(basic.host() + "/probe/busybox"), PullProgress.none()));
            assertTrue(e.getMessage().startsWith("registry " + basic.host() + " requires credentials for 'probe/busybox' (401)"),
                    e.getMessage());
        }
    }

    @Test
    void tokenAuthFetchesABearerTokenForThePullScope() throws Exception {
        int before = tokens.queries().size();
        try (DockerStore store = TestStores.store(temp.resolve("store"), token.url().toString(), good(token))) {
            StoredImage s = store.get(TestStores.image(token.host() + "/probe/busybox"), PullProgress.none());
            assertTrue(Files.isRegularFile(s.layers().get(0).resolve("bin/busybox")));
            List<String> asked = tokens.queries().subList(before, tokens.queries().size());
            assertEquals(1, asked.size(), "one token for the whole pull: " + asked);
            assertTrue(asked.get(0).contains("scope=repository%3Aprobe%2Fbusybox%3Apull"), asked.get(0));
            assertTrue(asked.get(0).contains("service=" + TokenServer.SERVICE), asked.get(0));

            store.get(TestStores.uncached(TestStores.image(token.host() + "/probe/busybox")), PullProgress.none());
            assertEquals(1, tokens.queries().size() - before, "the cached token is used again");
        }
    }

    @Test
    void anExpiredTokenIsFetchedAgain() throws Exception {
        MutableClock clock = new MutableClock();
        int before = tokens.queries().size();
        try (DockerStore store = new DockerStore(temp.resolve("store"), token.url().toString(),
                DockerStoreComponent.credentials(good(token)), TestStores.QUICK, clock)) {
            String name = token.host() + "/probe/busybox";
            store.get(TestStores.image(name), PullProgress.none());
            clock.advance(java.time.Duration.ofSeconds(290));
            store.get(TestStores.uncached(TestStores.image(name)), PullProgress.none());
            assertEquals(1, tokens.queries().size() - before, "still valid 290 s later (expires_in 300)");
            clock.advance(java.time.Duration.ofSeconds(10));
            store.get(TestStores.uncached(TestStores.image(name)), PullProgress.none());
            assertEquals(2, tokens.queries().size() - before, "fetched again at 300 s (used until 5 s before it expires)");
        }
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(java.time.Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void perImagePullConfigIsUsedWhenTheAgentHasNoCredentials() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), token.url().toString())) {
            StoredImage s = store.get(TestStores.image(token.host() + "/probe/busybox", good(token)), PullProgress.none());
            assertFalse(s.layers().isEmpty());
        }
    }

    @Test
    void perImagePullConfigWinsOverDockerConfig() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), basic.url().toString(), bad(basic))) {
            StoredImage s = store.get(TestStores.image(basic.host() + "/probe/busybox", good(basic)), PullProgress.none());
            assertFalse(s.layers().isEmpty());
        }
    }

    @Test
    void tokenAuthWithWrongCredentialsNamesTheTokenServer() throws Exception {
        try (DockerStore store = TestStores.store(temp.resolve("store"), token.url().toString(), bad(token))) {
            Exception e = assertThrows(PullException.class,
                    () -> store.get(TestStores.image(token.host() + "/probe/busybox"), PullProgress.none()));
            assertTrue(e.getMessage().contains("refused credentials for 'probe/busybox' (401)"), e.getMessage());
            assertTrue(e.getMessage().contains("registry " + token.host()), e.getMessage());
        }
    }

    @Test
    void tokenAuthAnonymouslyIsRefusedAfterOneRetry() throws Exception {
        int before = tokens.queries().size();
        try (DockerStore store = TestStores.store(temp.resolve("store"), token.url().toString())) {
            Exception e = assertThrows(PullException.class,
                    () -> store.get(TestStores.image(token.host() + "/probe/busybox"), PullProgress.none()));
            assertTrue(e.getMessage().startsWith("registry " + token.host() + " requires credentials for 'probe/busybox' (401)"),
                    e.getMessage());
            assertEquals(1, tokens.queries().size() - before, "one token request, no loop");
        }
    }
}
