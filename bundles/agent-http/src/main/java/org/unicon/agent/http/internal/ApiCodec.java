package org.unicon.agent.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import org.unicon.model.agent.Call;

/**
 * The two wire encodings of the v1 agent API, as Mesos speaks them: JSON with proto field names
 * and enum names ({@code {"type":"WAIT_CONTAINER","wait_container":{...}}}), and binary protobuf.
 * The request's encoding comes from {@code Content-Type}, the response's from {@code Accept}.
 */
final class ApiCodec {

    /** A wire encoding and its media type. */
    enum Encoding {
        JSON("application/json"),
        PROTOBUF("application/x-protobuf");

        final String mediaType;

        Encoding(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    // The parser rejects unknown fields (JsonFormat's default), so a misspelt field is an error
    // the user sees rather than a setting that is silently dropped.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private ApiCodec() {
    }

    /** The encoding named by a request's {@code Content-Type} (parameters such as charset ignored). */
    static Encoding requestEncoding(String contentType) throws ApiError {
        if (contentType == null || contentType.isBlank()) {
            throw new ApiError(415, "missing Content-Type: send application/json or application/x-protobuf");
        }
        String type = mediaType(contentType);
        for (Encoding e : Encoding.values()) {
            if (e.mediaType.equals(type)) {
                return e;
            }
        }
        throw new ApiError(415, "unsupported Content-Type '" + contentType.strip()
                + "': send application/json or application/x-protobuf");
    }

    /**
     * The encoding a client's {@code Accept} header asks for: the acceptable one with the highest
     * quality, the first listed on a tie; JSON when there is no header or it accepts anything.
     */
    static Encoding responseEncoding(String accept) throws ApiError {
        if (accept == null || accept.isBlank()) {
            return Encoding.JSON;
        }
        Encoding best = null;
        double bestQuality = 0;
        for (String range : accept.split(",")) {
            Encoding e = switch (mediaType(range)) {
                case "application/json", "application/*", "*/*" -> Encoding.JSON;
                case "application/x-protobuf" -> Encoding.PROTOBUF;
                default -> null;
            };
            double quality = quality(range);
            if (e != null && quality > bestQuality) {
                best = e;
                bestQuality = quality;
            }
        }
        if (best == null) {
            throw new ApiError(406, "Accept '" + accept.strip()
                    + "' allows neither application/json nor application/x-protobuf");
        }
        return best;
    }

    static Call parseCall(byte[] body, Encoding encoding) throws ApiError {
        if (body.length == 0) {
            throw new ApiError(400, "the request body is empty: send a mesos.v1.agent.Call");
        }
        try {
            if (encoding == Encoding.PROTOBUF) {
                return Call.parseFrom(body);
            }
            Call.Builder call = Call.newBuilder();
            PARSER.merge(utf8(body), call);
            return call.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // JsonFormat reports some syntax errors as unchecked gson exceptions.
            throw new ApiError(400, "malformed " + (encoding == Encoding.JSON ? "JSON" : "protobuf")
                    + " Call: " + e.getMessage());
        }
    }

    static byte[] print(Message message, Encoding encoding) {
        if (encoding == Encoding.PROTOBUF) {
            return message.toByteArray();
        }
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and the API has none.
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    private static String utf8(byte[] body) throws ApiError {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "malformed JSON Call: the body is not valid UTF-8");
        }
    }

    private static String mediaType(String headerValue) {
        int semicolon = headerValue.indexOf(';');
        String type = semicolon < 0 ? headerValue : headerValue.substring(0, semicolon);
        return type.strip().toLowerCase(Locale.ROOT);
    }

    private static double quality(String range) {
        for (String parameter : range.split(";")) {
            String p = parameter.strip();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
