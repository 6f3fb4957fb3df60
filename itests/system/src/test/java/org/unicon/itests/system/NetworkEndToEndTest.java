package org.unicon.itests.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.unicon.testkit.network.StandInHost;

/**
 * Containers on a CNI network through the assembled agent: real runc/crun under conmon, the real
 * bridge, host-local, loopback and portmap plugins. The plugins run in a network namespace that
 * stands in for the host ({@link StandInHost}); the containers get namespaces of their own from
 * the OCI runtime. Traffic only goes between containers, and from the stand-in host's loopback to
 * mapped ports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkEndToEndTest {
    private static final String SETTINGS = "isolation = filesystem/linux,docker/runtime,namespaces/pid,"
            + "namespaces/ipc,cgroups/cpu,cgroups/mem,cgroups/pids,network/cni\n";
    private static final String SERVER = "mkdir -p /www && echo hello from web > /www/index.html"
            + " && exec httpd -f -p 80 -h /www";

    private Path dir;
    private StandInHost host;
    private String bridge;
    private Agent agent;
    private Cli cli;

    @BeforeAll
    void startAgentWithNetworks() throws Exception {
        dir = Files.createTempDirectory("unicon-network-");
        host = StandInHost.create(dir.resolve("plugins"));
        bridge = "ucs" + UUID.randomUUID().toString().substring(0, 8);
        Path configs = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(configs.resolve("testnet.conflist"), """
                {"cniVersion": "1.0.0", "name": "testnet", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false, "hairpinMode": true,
                   "ipam": {"type": "host-local", "dataDir": "%s", "ranges": [[{"subnet": "10.199.17.0/24"}]],
                            "routes": [{"dst": "0.0.0.0/0"}]}},
                  {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}]}
                """.formatted(bridge, dir.resolve("ipam")));
        Files.writeString(configs.resolve("missing.conf"),
                "{\"cniVersion\": \"1.0.0\", \"name\": \"missingnet\", \"type\": \"no-such-plugin\"}\n");
        Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("unicon.isolator.cni.cfg"),
                "network_cni_config_dir = " + configs + "\nnetwork_cni_plugins_dir = " + host.plugins()
                        + "\nports = [31000-31009]\n");
        startAgent();
    }

    /** (Re)starts the agent on the same directories; SETTINGS' isolation line overrides the default one. */
    private void startAgent() throws Exception {
        agent = Agent.startWithBusybox(dir, SETTINGS, Map.of());
        cli = new Cli(agent.address(), Files.createDirectories(dir.resolve("cli")));
    }

    @AfterEach
    void nothingOfTheTestsContainersIsLeft() throws Exception {
        assertEquals("", cli.run("ps", "-q").out(), "the test removes its containers");
        assertEquals(List.of(), host.veths(), "veths left");
        String rules = host.natRules();
        assertFalse(rules.contains("-j DNAT") || rules.contains("CNI-DN-"), "portmap rules left:\n" + rules);
        assertEquals(List.of(), leases(), "IPAM leases left");
        assertEquals(List.of(), entries(dir.resolve("run/isolators/network/cni")), "namespace handles left");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.resolve("run").toString()),
                "mounts left");
    }

    @AfterAll
    void stopAndCheckNothingIsLeftOnTheMachine() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
            host.close();
            assertFalse(Files.exists(host.namespace()), "the stand-in namespace is left");
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString()), "mounts left");
            assertEquals(List.of(), Processes.mentioning(dir), "processes left");
            assertFalse(StandInHost.run("ip", "-o", "link").contains(bridge), "the bridge reached the root namespace");
            assertFalse(StandInHost.run("iptables", "-w", "-t", "nat", "-S").contains("CNI-"),
                    "CNI rules reached the root namespace");
        } finally {
            Agent.deleteTree(dir);
        }
    }

    @Test
    void containersReachEachOtherAndTheHostReachesMappedPorts() throws Exception {
        Cli.Result web = cli.run("execute", "--name=web", "--detach", "--docker_image=busybox", "--networks=testnet",
                "--port_mappings=[{\"host_port\":0,\"container_port\":80},{\"host_port\":18080,\"container_port\":80}]",
                "--command=" + SERVER);
        assertEquals(0, web.exitCode(), web::toString);
        try {
            String[] ps = psLine("web");
            String ip = ps[4];
            assertTrue(ip.startsWith("10.199.17."), String.join("|", ps));
            assertEquals("31000->80/tcp,18080->80/tcp", ps[5], "host_port 0 got the first port of the range");

            Cli.Result client = cli.run("execute", "--name=client", "--docker_image=busybox", "--networks=testnet",
                    "--command=ok=0; for i in $(seq 1 100); do if wget -q -O- http://" + ip + "/; then ok=1; break;"
                            + " fi; sleep 0.1; done; [ $ok = 1 ] || exit 1; hostname; grep -w client /etc/hosts");
            assertEquals(0, client.exitCode(), client::toString);
            List<String> lines = client.out().lines().toList();
            assertEquals("hello from web", lines.get(0), client::toString);
            assertEquals("client", lines.get(1), "the container is named after its ID");
            assertTrue(lines.get(2).matches("10\\.199\\.17\\.\\d+\\s+client"), "its /etc/hosts maps its own address: "
                    + client);

            assertEquals("hello from web\n", fetchFromHost(31000));
            assertEquals("hello from web\n", fetchFromHost(18080));

            Cli.Result rival = cli.run("execute", "--name=rival", "--docker_image=busybox", "--networks=testnet",
                    "--port_mappings=[{\"host_port\":18080,\"container_port\":80}]", "--command=true");
            assertEquals(1, rival.exitCode(), rival::toString);
            assertTrue(rival.err().contains("host port 18080 is already mapped for container 'web'"), rival::toString);
        } finally {
            destroy("web");
        }
    }

    @Test
    void afterTheAgentIsKilledTheNetworkKeepsWorkingAndIsCleanedUpOnDestroy() throws Exception {
        Cli.Result launched = cli.run("execute", "--name=survivor", "--detach", "--docker_image=busybox",
                "--networks=testnet", "--port_mappings=[{\"host_port\":0,\"container_port\":80}]", "--command=" + SERVER);
        assertEquals(0, launched.exitCode(), launched::toString);
        String[] before = psLine("survivor");
        int port = Integer.parseInt(before[5].substring(0, before[5].indexOf("->")));
        assertEquals("hello from web\n", fetchFromHost(port));

        agent.kill9();
        assertEquals("hello from web\n", fetchFromHost(port), "the container's network does not need the agent");
        startAgent();
        try {
            String[] after = psLine("survivor");
            assertEquals("RUNNING", after[1]);
            assertEquals(before[4] + " " + before[5], after[4] + " " + after[5], "the same address and host port");
            assertEquals("hello from web\n", fetchFromHost(port));

            Cli.Result next = cli.run("execute", "--name=next", "--detach", "--docker_image=busybox",
                    "--networks=testnet", "--port_mappings=[{\"host_port\":0,\"container_port\":80}]",
                    "--command=sleep 1000");
            assertEquals(0, next.exitCode(), next::toString);
            assertNotEquals(before[5], psLine("next")[5], "a recovered container's host port is not given again");
            destroy("next");
        } finally {
            destroy("survivor");
        }
    }

    @Test
    void anUnknownNetworkOrAMissingPluginIsAClearLaunchError() throws Exception {
        Cli.Result unknown = cli.run("execute", "--docker_image=busybox", "--networks=nosuchnet", "--command=true");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("network 'nosuchnet' is not configured")
                && unknown.err().contains("configured networks: missingnet, testnet"), unknown::toString);

        Cli.Result missing = cli.run("execute", "--docker_image=busybox", "--networks=missingnet", "--command=true");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("network 'missingnet': plugin 'no-such-plugin' was not found in "
                + host.plugins()), missing::toString);
    }

    @Test
    void aContainerThatNamesNoNetworkKeepsTheHostsNetwork() throws Exception {
        Cli.Result result = cli.run("execute", "--docker_image=busybox", "--command=readlink /proc/self/ns/net");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), result.out().strip(),
                "network/cni leaves it in the agent's (here: the machine's) network namespace");
    }

    /**
     * Kills a container, waits for it and removes it (with its network). Its exit codes are not
     * asserted here, so that a test's own failure is not hidden: @AfterEach checks that nothing
     * of it is left.
     */
    private void destroy(String id) throws Exception {
        cli.run("kill", id);
        cli.run("wait", id);
        cli.run("remove", id);
    }

    /** The cells of a container's line in `unicon ps`: ID STATE IMAGE EXIT IP PORTS COMMAND. */
    private String[] psLine(String id) throws Exception {
        Cli.Result ps = cli.run("ps");
        assertEquals(0, ps.exitCode(), ps::toString);
        assertTrue(ps.out().startsWith("ID  "), ps::toString);
        return ps.out().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .map(l -> l.split("\\s{2,}")).orElseThrow(() -> new AssertionError("no " + id + " in:\n" + ps));
    }

    /**
     * A page fetched from the stand-in host's loopback through a mapped port, again while the
     * server is starting (the loop waits for readiness; the assertion is on the page).
     */
    private String fetchFromHost(int port) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                // (busybox 1.35's wget crashes on a refused connection when given -T: timeout(1) bounds it)
                return host.exec("timeout", "10", "busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:" + port + "/");
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private List<String> leases() throws IOException {
        try (Stream<Path> files = list(dir.resolve("ipam/testnet"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip")).toList();
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> files = list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir) : Stream.empty();
    }
}
