package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentAddressTest {

    @Test
    void optionBeatsEnvironmentBeatsDefault() {
        assertEquals("10.0.0.1:80", AgentAddress.choose("10.0.0.1:80", "127.0.0.1:9").toString());
        assertEquals("127.0.0.1:9", AgentAddress.choose(null, "127.0.0.1:9").toString());
        assertEquals(AgentAddress.DEFAULT, AgentAddress.choose(null, null).toString());
    }

    @Test
    void acceptsUrlsAndIpv6() {
        assertEquals("http://localhost:5051/api/v1", AgentAddress.parse("http://localhost:5051/", "x").apiUri().toString());
        assertEquals("http://[::1]:5051/api/v1", AgentAddress.parse("[::1]:5051", "x").apiUri().toString());
    }

    @Test
    void aBadAddressSaysWhereItCameFrom() {
        CliException e = assertThrows(CliException.class, () -> AgentAddress.choose(null, "localhost"));
        assertTrue(e.getMessage().contains("from UNICON_AGENT is not host:port"), e.getMessage());
        e = assertThrows(CliException.class, () -> AgentAddress.choose("localhost:99999", null));
        assertTrue(e.getMessage().contains("--agent has no valid port"), e.getMessage());
    }
}
