package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.unicon.hostfs.MountTable;
import org.unicon.hostfs.TreeDeleter;
import org.unicon.hostfs.Unmounter;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.ContainerStatus;
import org.unicon.model.NetworkInfo;
import org.unicon.testkit.isolator.TestContainerContext;
import org.unicon.testkit.isolator.TestRecoveredContainer;
import org.unicon.testkit.network.StandInHost;

/**
 * network/cni against the real CNI plugins of /usr/lib/cni, as root, with real processes in
 * network namespaces of their own. The plugins run in a namespace the test creates to stand in
 * for the host ({@link StandInHost}); every packet goes between that namespace and the
 * containers' namespaces, or over the stand-in's loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CniNetworkingTest {
    private Path dir;
    private StandInHost host;
    private TestNetworks networks;
    private Path root;
    private Path www;

    @BeforeAll
    void createHostAndNetworks() throws Exception {
        dir = Files.createTempDirectory("unicon-cni-");
        host = StandInHost.create(dir.resolve("plugins"));
        networks = TestNetworks.write(dir);
        root = dir.resolve("root");
        www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from the container\n");
    }

    @AfterEach
    void nothingOfAContainerIsLeft() throws Exception {
        assertEquals(List.of(), host.veths(), "veths left on the stand-in host");
        assertEquals(List.of(), networks.leases("testnet"), "IPAM leases left");
        assertEquals(List.of(), networks.leases("plainnet"), "IPAM leases left");
        assertEquals(List.of(), MountTable.mountPointsAtOrUnder(dir), "mounts left");
        assertTrue(!Files.exists(root) || Files.list(root).findAny().isEmpty(), "container directories left");
        String rules = host.natRules();
        assertFalse(rules.contains("-j DNAT") || rules.contains("CNI-DN-"), "DNAT rules left:\n" + rules);
    }

    @AfterAll
    void deleteHostAndFiles() throws Exception {
        try {
            Unmounter.detachAll(dir);
            host.close();
        } finally {
            TreeDeleter.delete(dir);
        }
        assertFalse(Files.exists(dir));
    }

    private CniIsolator isolator() {
        return new CniIsolator(root, networks.settings(host.plugins()), Path.of("/etc/resolv.conf"));
    }

    private TestContainerContext context(String id, boolean rootfs, NetworkInfo... joined) throws IOException {
        Path sandbox = Files.createDirectories(dir.resolve("sandboxes").resolve(id));
        Path rootfsDir = rootfs ? Files.createDirectories(dir.resolve("rootfs").resolve(id)) : null;
        return new TestContainerContext(id, TestNetworks.config(sandbox, rootfsDir, joined));
    }

    private static ContainerID id(String value) {
        return ContainerID.newBuilder().setValue(value).build();
    }

    private static String ip(ContainerStatus status) {
        return status.getNetworkInfos(0).getIpAddresses(0).getIpAddress();
    }

    /**
     * Fetches a page, again while the server is not listening yet (it was just started). The
     * loop waits for readiness; the assertion is on what comes back.
     */
    private static String fetch(Fetcher fetcher, String url) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                // (busybox 1.35's wget crashes on a refused connection when given -T: timeout(1) bounds it)
                return fetcher.fetch("timeout", "10", "busybox", "wget", "-q", "-O", "-", url);
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    @FunctionalInterface
    private interface Fetcher {
        String fetch(String... command) throws IOException, InterruptedException;
    }

    @Test
    void twoContainersOnOneBridgeReachEachOtherByIp() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext server = context("web", true, TestNetworks.network("testnet"));
        TestContainerContext client = context("client", false, TestNetworks.network("testnet"));
        ContainerLaunchInfo launch = isolator.prepare(server).orElseThrow();
        assertEquals(List.of(NetworkPlan.CLONE_NEWNET, NetworkPlan.CLONE_NEWUTS), launch.getCloneNamespacesList());
        assertEquals("web", launch.getHostname(), "without a hostname of its own the container is named by its ID");
        assertEquals(List.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf"),
                launch.getMountsList().stream().map(m -> m.getTarget()).toList());
        assertEquals(List.of(NetworkPlan.CLONE_NEWNET), isolator.prepare(client).orElseThrow().getCloneNamespacesList(),
                "a container without an image gets no /etc files and keeps the host's name");
        try (NetnsProcess web = NetnsProcess.httpd(www); NetnsProcess other = NetnsProcess.idle()) {
            isolator.isolate(server.containerId(), web.pid());
            isolator.isolate(client.containerId(), other.pid());
            String webIp = ip(isolator.status(server.containerId()));
            String clientIp = ip(isolator.status(client.containerId()));
            assertTrue(webIp.startsWith("10.199.7.") && clientIp.startsWith("10.199.7.") && !webIp.equals(clientIp),
                    webIp + " " + clientIp);

            assertEquals("hello from the container\n", fetch(other::exec, "http://" + webIp + "/"));
            assertTrue(other.exec("ip", "-o", "addr", "show", "lo").contains("127.0.0.1"), "loopback is up");
            Path etc = root.resolve("web");
            assertTrue(Files.readString(etc.resolve("hosts")).contains(webIp + "\tweb\n"),
                    Files.readString(etc.resolve("hosts")));
            assertEquals("web\n", Files.readString(etc.resolve("hostname")));
            assertEquals(List.of(webIp), networks.leases("testnet").stream().filter(webIp::equals).toList());
        } finally {
            isolator.cleanup(server.containerId());
            isolator.cleanup(client.containerId());
        }
    }

    @Test
    void mappedHostPortsReachTheServerFromTheHostsLoopbackAndAreNotGivenTwice() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext server = context("mapped", false, TestNetworks.network("testnet", 0, 80, 18080, 80));
        isolator.prepare(server);
        try (NetnsProcess web = NetnsProcess.httpd(www)) {
            isolator.isolate(server.containerId(), web.pid());
            List<NetworkInfo.PortMapping> mappings = isolator.status(server.containerId()).getNetworkInfos(0)
                    .getPortMappingsList();
            assertEquals(List.of(31000, 18080), mappings.stream().map(NetworkInfo.PortMapping::getHostPort).toList(),
                    "host_port 0 got the first port of " + TestNetworks.PORTS);

            assertEquals("hello from the container\n", fetch(host::exec, "http://127.0.0.1:31000/"));
            assertEquals("hello from the container\n", fetch(host::exec, "http://127.0.0.1:18080/"));

            TestContainerContext rival = context("rival", false, TestNetworks.network("testnet", 18080, 80));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> isolator.prepare(rival));
            assertEquals("host port 18080 is already mapped for container 'mapped'", refused.getMessage());
            assertFalse(Files.exists(root.resolve("rival")), "a refused container gets nothing");

            TestContainerContext next = context("next", false, TestNetworks.network("testnet", 0, 8080));
            isolator.prepare(next);
            assertEquals(31001, isolator.status(next.containerId()).getNetworkInfos(0).getPortMappings(0).getHostPort());
            isolator.cleanup(next.containerId());
        } finally {
            isolator.cleanup(server.containerId());
        }
        assertFalse(host.natRules().contains("id: \"mapped\""), "portmap's rules are gone:\n" + host.natRules());
    }

    @Test
    void aRestartedIsolatorRecoversTheNetworksChecksThemAndCleansThemUp() throws Exception {
        CniIsolator before = isolator();
        TestContainerContext mapped = context("survivor", false, TestNetworks.network("testnet", 0, 80));
        TestContainerContext plain = context("plain", false, TestNetworks.network("plainnet"));
        before.prepare(mapped);
        before.prepare(plain);
        CniIsolator after = isolator();
        try (NetnsProcess web = NetnsProcess.httpd(www); NetnsProcess idle = NetnsProcess.idle()) {
            before.isolate(mapped.containerId(), web.pid());
            before.isolate(plain.containerId(), idle.pid());
            ContainerStatus status = before.status(mapped.containerId());

            after.recover(List.of(TestRecoveredContainer.of(mapped, "network/cni", "0.1.0"),
                    TestRecoveredContainer.of(plain, "network/cni", "0.1.0")), Set.of());
            assertEquals(status, after.status(mapped.containerId()), "the same addresses and ports after the restart");
            assertEquals("hello from the container\n", fetch(host::exec, "http://127.0.0.1:31000/"));

            TestContainerContext newcomer = context("newcomer", false, TestNetworks.network("testnet", 0, 80));
            after.prepare(newcomer);
            assertEquals(31001, after.status(newcomer.containerId()).getNetworkInfos(0).getPortMappings(0).getHostPort(),
                    "the recovered container keeps its host port");
            after.cleanup(newcomer.containerId());

            assertEquals(List.of(), after.check(plain.containerId()), "CHECK passes on an intact network");
            idle.exec("ip", "link", "delete", "eth0");
            List<String> problems = after.check(plain.containerId());
            assertEquals(1, problems.size(), problems::toString);
            assertTrue(problems.get(0).contains("network 'plainnet': plugin 'bridge' (CHECK eth0) failed"),
                    problems::toString);
        } finally {
            after.cleanup(mapped.containerId());
            after.cleanup(plain.containerId());
        }
    }

    @Test
    void onRecoveryTheNetworksOfAContainerNoLongerKnownAreRemoved() throws Exception {
        CniIsolator before = isolator();
        TestContainerContext forgotten = context("forgotten", false, TestNetworks.network("testnet", 0, 80));
        before.prepare(forgotten);
        try (NetnsProcess process = NetnsProcess.idle()) {
            before.isolate(forgotten.containerId(), process.pid());
        }
        assertEquals(1, host.veths().size());

        isolator().recover(List.of(), Set.of()); // the core lists no such container any more
        assertFalse(Files.exists(root.resolve("forgotten")));
        // @AfterEach checks that its veth, lease and portmap rules are gone too.
    }

    @Test
    void aPluginErrorFailsTheLaunchNamingNetworkAndPluginAndCleanupRemovesTheNamespace() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext bad = context("bad", false, TestNetworks.network("badnet"));
        isolator.prepare(bad);
        try (NetnsProcess process = NetnsProcess.idle()) {
            IOException e = assertThrows(IOException.class, () -> isolator.isolate(bad.containerId(), process.pid()));
            assertTrue(e.getMessage().startsWith("network 'badnet': plugin 'bridge' (ADD eth0) failed:")
                    && e.getMessage().contains("RangeStart 10.199.10.5 not in network"), e.getMessage());
        }
        // The bridge plugin made the veth before its IPAM failed, and its DEL fails on the same
        // configuration: the error is reported, and the namespace goes anyway (with the veth in it).
        IOException cleanup = assertThrows(IOException.class, () -> isolator.cleanup(bad.containerId()));
        assertTrue(cleanup.getMessage().contains("network 'badnet': plugin 'bridge' (DEL eth0) failed"),
                cleanup.getMessage());
        assertFalse(Files.exists(root.resolve("bad")));
        awaitNoVeths();
    }

    @Test
    void aFailingDelStillRemovesTheNamespaceAndTheOtherPluginsRelease() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext container = context("stranded", false, TestNetworks.network("testnet", 0, 80));
        isolator.prepare(container);
        String ip;
        try (NetnsProcess process = NetnsProcess.idle()) {
            isolator.isolate(container.containerId(), process.pid());
            ip = ip(isolator.status(container.containerId()));
        }
        // A real fault: the IPAM plugin is uninstalled while the container runs, so bridge's DEL fails.
        Files.delete(host.plugins().resolve("host-local"));
        try {
            IOException e = assertThrows(IOException.class, () -> isolator.cleanup(container.containerId()));
            assertTrue(e.getMessage().contains("network 'testnet': plugin 'bridge' (DEL eth0) failed")
                    && e.getMessage().contains("host-local"), e.getMessage());
            assertFalse(Files.exists(root.resolve("stranded")), "the namespace handle and the files are gone");
            assertFalse(host.natRules().contains("-j DNAT"), "portmap's DEL ran before bridge's failed");
            awaitNoVeths();
            assertEquals(List.of(ip), networks.leases("testnet"), "only what the missing plugin holds is left");
        } finally {
            host.wrap("host-local");
            Files.deleteIfExists(networks.ipam().resolve("testnet").resolve(ip));
        }
    }

    @Test
    void unknownNetworksMissingPluginsAndUnmappableNetworksAreClearLaunchErrors() throws Exception {
        CniIsolator isolator = isolator();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> isolator.prepare(context("u", false, TestNetworks.network("nosuchnet"))));
        assertEquals("network 'nosuchnet' is not configured: no configuration in " + networks.configs()
                + " has that name (configured networks: badnet, missingnet, plainnet, testnet)", unknown.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> isolator.prepare(context("m", false, TestNetworks.network("missingnet"))));
        assertTrue(missing.getMessage().startsWith("network 'missingnet': plugin 'no-such-plugin' was not found in "
                + host.plugins()), missing.getMessage());
        IllegalArgumentException unmappable = assertThrows(IllegalArgumentException.class,
                () -> isolator.prepare(context("p", false, TestNetworks.network("plainnet", 0, 80))));
        assertTrue(unmappable.getMessage().contains("network 'plainnet'")
                && unmappable.getMessage().contains("cannot map ports"), unmappable.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> isolator.prepare(
                context("t", false, TestNetworks.network("testnet"), TestNetworks.network("testnet"))));
        assertEquals("container 't' joins network 'testnet' twice", twice.getMessage());
        assertTrue(!Files.exists(root) || Files.list(root).findAny().isEmpty(), "refused launches create nothing");
    }

    @Test
    void aProcessInTheAgentsOwnNetworkNamespaceIsNeverWired() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext container = context("shared", false, TestNetworks.network("testnet"));
        isolator.prepare(container);
        IOException e = assertThrows(IOException.class,
                () -> isolator.isolate(container.containerId(), ProcessHandle.current().pid()));
        assertTrue(e.getMessage().contains("shares the agent's network namespace"), e.getMessage());
        isolator.cleanup(container.containerId());
    }

    @Test
    void containersWithoutNetworksAreLeftAlone() throws Exception {
        CniIsolator isolator = isolator();
        TestContainerContext container = context("hostnet", true);
        assertTrue(isolator.prepare(container).isEmpty());
        isolator.isolate(container.containerId(), ProcessHandle.current().pid());
        assertEquals(ContainerStatus.getDefaultInstance(), isolator.status(container.containerId()));
        isolator.cleanup(container.containerId());
        assertFalse(Files.exists(root.resolve("hostnet")));
    }

    /** The kernel tears a released namespace (and the veth in it) down asynchronously. */
    private void awaitNoVeths() throws Exception {
        for (int attempt = 0; attempt < 300 && !host.veths().isEmpty(); attempt++) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), host.veths(), "the container's veth went with its namespace");
    }
}
