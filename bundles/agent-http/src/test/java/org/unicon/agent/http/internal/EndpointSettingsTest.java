package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointSettingsTest {

    @Test
    void addressesAsAMesosAgentWritesThem() {
        assertEquals(new InetSocketAddress("127.0.0.1", 5051), EndpointSettings.parseAddress("127.0.0.1:5051"));
        assertEquals(new InetSocketAddress("::1", 5051), EndpointSettings.parseAddress("[::1]:5051"));
        assertEquals(new InetSocketAddress("0.0.0.0", 0), EndpointSettings.parseAddress(" 0.0.0.0:0 "));
        assertEquals("[0:0:0:0:0:0:0:1]:80", EndpointSettings.parse("[::1]:80", 1).describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "localhost         | expected host:port such as 127.0.0.1:5051",
            "127.0.0.1:        | expected host:port such as 127.0.0.1:5051",
            ":5051             | expected host:port such as 127.0.0.1:5051",
            "::1:5051          | write an IPv6 host in brackets, such as [::1]:5051",
            "127.0.0.1:http    | port 'http' is not a number",
            "127.0.0.1:70000   | port 70000 is not in 0..65535",
            "[]:5051           | the host is empty (use 0.0.0.0 for every interface)",
            "no-such-host.invalid:5051 | unknown host 'no-such-host.invalid'",
    })
    void badAddressesAreRejectedNamingTheKeyAndTheValue(String address, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointSettings.parse(address, 1024));

        assertEquals("invalid address='" + address + "' in unicon.agent.http: " + reason, e.getMessage());
    }

    @Test
    void maxBodyBytesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EndpointSettings.parse("127.0.0.1:5051", 0));

        assertEquals("invalid max_body_bytes=0 in unicon.agent.http: expected 1.." + EndpointSettings.MAX_BODY_LIMIT,
                e.getMessage());
    }
}
