package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HostPortsTest {

    @Test
    void parsesMesosRangesWithOrWithoutBrackets() {
        assertEquals(List.of(new HostPorts.Range(31000, 32000)), HostPorts.parse("[31000-32000]"));
        assertEquals(List.of(new HostPorts.Range(8000, 9000), new HostPorts.Range(31000, 32000)),
                HostPorts.parse(" [8000-9000, 31000-32000] "));
        assertEquals(List.of(new HostPorts.Range(80, 80)), HostPorts.parse("80"));
    }

    @Test
    void aBadRangeIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPorts.parse("[31000-x]"));
        assertTrue(e.getMessage().contains("'[31000-x]'") && e.getMessage().contains("31000-x"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HostPorts.parse("[32000-31000]"));
        assertTrue(e.getMessage().contains("32000-31000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostPorts.parse("[0-10]"));
        assertThrows(IllegalArgumentException.class, () -> HostPorts.parse("[65000-70000]"));
    }

    @Test
    void zeroGetsTheLowestFreePortAndFixedPortsAreKept() {
        HostPorts ports = new HostPorts(HostPorts.parse("[31000-31002]"));
        assertEquals(List.of(31000, 8080), ports.take("a", List.of(0, 8080)));
        assertEquals(List.of(31001), ports.take("b", List.of(0)));
        ports.release("a");
        assertEquals(List.of(31000, 31002), ports.take("c", List.of(0, 0)));
        assertEquals(Map.of(31000, "c", 31001, "b", 31002, "c"), ports.held());
    }

    @Test
    void aFixedPortHeldByAnotherContainerIsRefusedAndNothingIsTaken() {
        HostPorts ports = new HostPorts(HostPorts.parse("[31000-31005]"));
        ports.take("a", List.of(8080));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ports.take("b", List.of(0, 8080)));
        assertEquals("host port 8080 is already mapped for container 'a'", e.getMessage());
        assertEquals(Map.of(8080, "a"), ports.held(), "the failed request took nothing");
    }

    @Test
    void anExhaustedRangeSaysSo() {
        HostPorts ports = new HostPorts(HostPorts.parse("[31000-31001]"));
        ports.take("a", List.of(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ports.take("b", List.of(0)));
        assertTrue(e.getMessage().contains("no free host port") && e.getMessage().contains("container 'b'"),
                e.getMessage());
        assertEquals(Map.of(31000, "a", 31001, "a"), ports.held());
    }

    @Test
    void restoredPortsAreNotGivenAgain() {
        HostPorts ports = new HostPorts(HostPorts.parse("[31000-31002]"));
        ports.restore("old", List.of(31000, 31001));
        assertEquals(List.of(31002), ports.take("new", List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> ports.restore("other", List.of(31002)));
    }
}
