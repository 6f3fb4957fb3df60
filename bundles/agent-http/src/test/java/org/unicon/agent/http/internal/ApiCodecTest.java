package org.unicon.agent.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicon.agent.http.internal.ApiCodec.Encoding;

class ApiCodecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json                  | JSON",
            "Application/JSON; charset=utf-8   | JSON",
            "application/x-protobuf            | PROTOBUF",
    })
    void requestEncodingComesFromContentType(String contentType, Encoding expected) throws ApiError {
        assertEquals(expected, ApiCodec.requestEncoding(contentType));
    }

    @Test
    void missingOrOtherContentTypesAre415NamingWhatToSend() {
        ApiError missing = assertThrows(ApiError.class, () -> ApiCodec.requestEncoding(null));
        ApiError other = assertThrows(ApiError.class, () -> ApiCodec.requestEncoding("text/plain"));

        assertEquals(415, missing.status());
        assertEquals("missing Content-Type: send application/json or application/x-protobuf", missing.getMessage());
        assertEquals(415, other.status());
        assertEquals("unsupported Content-Type 'text/plain': send application/json or application/x-protobuf",
                other.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                                  | JSON",
            "*/*                                                 | JSON",
            "application/x-protobuf                              | PROTOBUF",
            "text/html, application/x-protobuf                   | PROTOBUF",
            "application/json;q=0.5, application/x-protobuf      | PROTOBUF",
            "application/x-protobuf;q=0.1, */*;q=0.8             | JSON",
            "application/json, application/x-protobuf           | JSON",
    })
    void responseEncodingFollowsAccept(String accept, Encoding expected) throws ApiError {
        assertEquals(expected, ApiCodec.responseEncoding(accept));
    }

    @Test
    void anAcceptAllowingNeitherEncodingIs406() {
        ApiError error = assertThrows(ApiError.class, () -> ApiCodec.responseEncoding("text/html, application/json;q=0"));

        assertEquals(406, error.status());
        assertTrue(error.getMessage().startsWith("Accept 'text/html, application/json;q=0' allows neither"));
    }

    @Test
    void reasonsAreFoldedIntoOneLine() {
        assertEquals("a b c\n", ApiResponse.text(400, "a\n  b\r\nc\n").bodyText());
    }
}
