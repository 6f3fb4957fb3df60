package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.unicon.model.NetworkInfo;

class NetworksFlagTest {

    @Test
    void namesBecomeNetworkInfosAndPortMappingsGoToTheFirst() {
        List<NetworkInfo> infos = NetworksFlag.parse("web, backend",
                "[{\"host_port\":0,\"container_port\":80},{\"host_port\":8443,\"container_port\":443,\"protocol\":\"tcp\"}]");
        assertEquals(List.of("web", "backend"), infos.stream().map(NetworkInfo::getName).toList());
        assertEquals(2, infos.get(0).getPortMappingsCount());
        assertEquals(0, infos.get(0).getPortMappings(0).getHostPort());
        assertEquals(443, infos.get(0).getPortMappings(1).getContainerPort());
        assertEquals(0, infos.get(1).getPortMappingsCount());
        assertEquals(List.of(), NetworksFlag.parse(null, null));
    }

    @Test
    void badInputSaysWhatIsExpected() {
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse(null, "[]")).getMessage()
                .contains("--port_mappings needs --networks"));
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse("web,,db", null)).getMessage()
                .contains("empty name"));
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse("web,web", null)).getMessage()
                .contains("'web' twice"));
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse("web", "{\"host_port\":1}"))
                .getMessage().contains("must be a JSON array"));
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse("web", "[{\"hostport\":1}]"))
                .getMessage().contains("not a valid list of port mappings"));
        assertTrue(assertThrows(CliException.class, () -> NetworksFlag.parse("web", "[{\"host_port\":1}]"))
                .getMessage().contains("needs a container_port"));
    }

    @Test
    void psShowsAddressesAndAssignedPorts() {
        List<NetworkInfo> networks = List.of(NetworkInfo.newBuilder().setName("web")
                .addIpAddresses(NetworkInfo.IPAddress.newBuilder().setIpAddress("10.88.0.2"))
                .addPortMappings(NetworkInfo.PortMapping.newBuilder().setHostPort(31000).setContainerPort(80)
                        .setProtocol("tcp"))
                .addPortMappings(NetworkInfo.PortMapping.newBuilder().setHostPort(5353).setContainerPort(53))
                .build());
        assertEquals("10.88.0.2", NetworksFlag.addresses(networks));
        assertEquals("31000->80/tcp,5353->53/tcp", NetworksFlag.ports(networks));
    }
}
