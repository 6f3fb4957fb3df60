package org.unicon.isolator.cni.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CniResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheCurrentShape() throws Exception {
        CniResult result = CniResult.of(JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"fd00::5/64\"},"
                + "{\"address\":\"10.88.0.5/16\",\"gateway\":\"10.88.0.1\"}],\"dns\":{\"nameservers\":[\"10.88.0.1\"],"
                + "\"search\":[\"svc.local\"],\"options\":[\"ndots:2\"]}}"));
        assertEquals(List.of("fd00::5", "10.88.0.5"), result.addresses());
        assertEquals(Optional.of("10.88.0.5"), result.primaryAddress(), "IPv4 first, as Mesos writes /etc/hosts");
        assertTrue(result.hasDns());
        assertTrue(result.resolvConf().contains("nameserver 10.88.0.1\nsearch svc.local\noptions ndots:2\n"),
                result.resolvConf());
    }

    @Test
    void readsTheLegacyShape() throws Exception {
        CniResult result = CniResult.of(JSON.readTree("{\"ip4\":{\"ip\":\"192.168.1.7/24\"},\"dns\":{}}"));
        assertEquals(List.of("192.168.1.7"), result.addresses());
        assertFalse(result.hasDns());
    }
}
