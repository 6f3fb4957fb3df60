package org.unicon.layers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes tar headers byte by byte, for archives Commons Compress would refuse to write. */
final class RawTar {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** One header with {@code name} as raw bytes, the given type and size, then {@code data} padded. */
    RawTar entry(byte[] name, char type, long declaredSize, byte[] data) {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, declaredSize);
        octal(h, 136, 12, 1_600_000_000L);
        h[156] = (byte) type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.writeBytes(h);
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    RawTar entry(String name, char type, byte[] data) {
        return entry(name.getBytes(StandardCharsets.UTF_8), type, data.length, data);
    }

    /** A PAX extended header whose records are given raw (value bytes untouched). */
    RawTar pax(byte[]... records) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] r : records) {
            data.writeBytes(r);
        }
        return entry("PaxHeaders/x", 'x', data.toByteArray());
    }

    /** One PAX record {@code "<len> key=value\n"} with the value as raw bytes. */
    static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int body = 1 + k.length + 1 + value.length + 1;
        int len = body + String.valueOf(body).length();
        if (String.valueOf(len).length() != String.valueOf(body).length()) {
            len++;
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        r.writeBytes(k);
        r.write('=');
        r.writeBytes(value);
        r.write('\n');
        return r.toByteArray();
    }

    byte[] tar() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = String.format("%0" + (len - 1) + "o", value);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
