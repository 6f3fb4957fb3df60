package org.unicon.isolator.cni.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.unicon.isolator.Isolator;
import org.unicon.model.ContainerConfig;
import org.unicon.testkit.isolator.IsolatorConformance;
import org.unicon.testkit.network.StandInHost;

/**
 * network/cni through the conformance suite, with a typical container that joins a network and
 * maps a port (so that prepare contributes: a network namespace, the /etc files, a host port).
 * The networks are configured in the suite's temporary directory, with the real plugins
 * directory; the suite never runs isolate, so no plugin runs.
 */
class CniIsolatorConformanceTest extends IsolatorConformance {
    private TestNetworks networks;

    @BeforeEach
    void writeNetworks() throws IOException {
        networks = TestNetworks.write(temp.resolve("cni"));
    }

    @Override
    protected Isolator createIsolator(Path stateDir) {
        return new CniIsolator(stateDir, networks.settings(StandInHost.REAL_PLUGINS), Path.of("/etc/resolv.conf"));
    }

    @Override
    protected Class<?> componentClass() {
        return CniIsolatorComponent.class;
    }

    @Override
    protected ContainerConfig typicalConfig(Path sandbox, Path rootfs) {
        ContainerConfig config = super.typicalConfig(sandbox, rootfs);
        return config.toBuilder().setContainerInfo(config.getContainerInfo().toBuilder()
                .addNetworkInfos(TestNetworks.network("testnet", 0, 80))).build();
    }
}
