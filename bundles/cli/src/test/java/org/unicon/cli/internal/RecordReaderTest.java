package org.unicon.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RecordReaderTest {
    private static RecordReader reader(String stream) {
        return new RecordReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsRecordsUntilTheEnd() throws Exception {
        RecordReader reader = reader("3\nabc0\n2\nxy");
        assertArrayEquals("abc".getBytes(), reader.next());
        assertArrayEquals(new byte[0], reader.next());
        assertArrayEquals("xy".getBytes(), reader.next());
        assertNull(reader.next());
    }

    @Test
    void aTruncatedRecordIsAnError() {
        assertThrows(EOFException.class, () -> reader("5\nabc").next());
        assertThrows(EOFException.class, () -> reader("12").next());
    }

    @Test
    void somethingElseThanRecordIoIsAnError() {
        IOException e = assertThrows(IOException.class, () -> reader("<html>").next());
        assertTrue(e.getMessage().contains("not RecordIO"), e.getMessage());
    }

    @Test
    void aHugeLengthIsRefusedBeforeReading() {
        IOException e = assertThrows(IOException.class, () -> reader("999999999\n").next());
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }
}
