package org.unicon.layers.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.unicon.layers.InvalidLayerException;

/** PAX extended header records ({@code "<length> <key>=<value>\n"}), values kept as raw bytes. */
final class PaxRecords {

    record Record(String key, byte[] value) {
    }

    private PaxRecords() {
    }

    /** All records of one extended header; trailing NUL padding is ignored. */
    static List<Record> parse(byte[] data, String entry) throws InvalidLayerException {
        List<Record> records = new ArrayList<>();
        int pos = 0;
        while (pos < data.length && data[pos] != 0) {
            int space = pos;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - pos < 10) {
                length = length * 10 + (data[space] - '0');
                space++;
            }
            if (space == pos || space >= data.length || data[space] != ' '
                    || length <= space - pos + 1 || pos + length > data.length) {
                throw new InvalidLayerException(entry, "has a malformed PAX header record");
            }
            int end = (int) (pos + length);
            if (data[end - 1] != '\n') {
                throw new InvalidLayerException(entry, "has a malformed PAX header record");
            }
            int eq = space + 1;
            while (eq < end - 1 && data[eq] != '=') {
                eq++;
            }
            if (eq >= end - 1) {
                throw new InvalidLayerException(entry, "has a PAX header record without '='");
            }
            records.add(new Record(new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(data, eq + 1, end - 1)));
            pos = end;
        }
        return records;
    }

    /** libarchive's xattr value encoding: base64, padding optional. */
    static byte[] base64(byte[] value, String entry, String xattr) throws InvalidLayerException {
        int n = value.length;
        while (n > 0 && value[n - 1] == '=') {
            n--;
        }
        byte[] padded = Arrays.copyOf(value, n + (4 - n % 4) % 4);
        Arrays.fill(padded, n, padded.length, (byte) '=');
        try {
            return Base64.getDecoder().decode(padded);
        } catch (IllegalArgumentException e) {
            throw new InvalidLayerException(entry, "has an invalid base64 value for xattr '" + xattr + "'");
        }
    }

    /** libarchive's xattr name encoding: %XX escapes ('+' is not a space). */
    static String percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length) {
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(in[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
