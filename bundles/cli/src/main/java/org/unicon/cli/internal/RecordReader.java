package org.unicon.cli.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads Mesos RecordIO: a decimal length, a newline, that many bytes; repeated. */
final class RecordReader {
    /** No answer of the agent comes near this; a larger length means a broken stream. */
    static final int MAX_RECORD = 16 << 20;

    private final InputStream in;

    RecordReader(InputStream in) {
        this.in = in;
    }

    /** The next record, or null at the end of the stream. */
    byte[] next() throws IOException {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                if (digits == 0) {
                    return null;
                }
                throw new EOFException("the agent's stream ended inside a record header");
            }
            if (c < '0' || c > '9' || ++digits > 9) {
                throw new IOException("the agent's stream is not RecordIO (unexpected byte " + c + ")");
            }
            length = length * 10 + (c - '0');
        }
        if (length > MAX_RECORD) {
            throw new IOException("the agent sent a record of " + length + " bytes, more than " + MAX_RECORD);
        }
        byte[] record = in.readNBytes(length);
        if (record.length != length) {
            throw new EOFException("the agent's stream ended inside a record");
        }
        return record;
    }
}
