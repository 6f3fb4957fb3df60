package org.unicon.testkit.isolator;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The class-retention annotations of a class ({@code RuntimeInvisibleAnnotations}), read from
 * its class file. Declarative Services annotations and component property types such as
 * {@code @IsolatorProperties} are not visible to reflection, and bnd writes the component
 * descriptor only into the jar, so the suite reads the class file itself. Element values are
 * kept as strings: a class value as its descriptor ({@code Lorg/x/Y;}), an array as a list.
 */
final class ClassAnnotations {
    /** Annotation type descriptor ({@code Lorg/x/Y;}) to its elements (a String or a List of them). */
    final Map<String, Map<String, Object>> annotations = new LinkedHashMap<>();
    /** Internal names of the interfaces the class implements directly. */
    final List<String> interfaces = new ArrayList<>();

    private Object[] pool;

    static ClassAnnotations read(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file " + resource + " is not on the class path");
            }
            ClassAnnotations result = new ClassAnnotations();
            result.parse(new DataInputStream(in));
            return result;
        }
    }

    private void parse(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        readPool(in);
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this class
        in.readUnsignedShort(); // super class
        int interfaceCount = in.readUnsignedShort();
        for (int i = 0; i < interfaceCount; i++) {
            interfaces.add((String) pool[(Integer) pool[in.readUnsignedShort()]]);
        }
        for (int members = 0; members < 2; members++) { // fields, then methods
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                in.skipNBytes(6);
                skipAttributes(in);
            }
        }
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String name = (String) pool[in.readUnsignedShort()];
            int length = in.readInt();
            if (name.equals("RuntimeInvisibleAnnotations") || name.equals("RuntimeVisibleAnnotations")) {
                int count = in.readUnsignedShort();
                for (int a = 0; a < count; a++) {
                    String type = (String) pool[in.readUnsignedShort()];
                    annotations.put(type, elements(in));
                }
            } else {
                in.skipNBytes(length);
            }
        }
    }

    private void readPool(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        pool = new Object[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> pool[i] = in.readUnsignedShort(); // class, string: index of a Utf8
                case 3, 4 -> pool[i] = in.readInt();
                case 5, 6 -> {
                    pool[i] = in.readLong();
                    i++;
                }
                case 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 15 -> in.skipNBytes(3);
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
    }

    private Map<String, Object> elements(DataInputStream in) throws IOException {
        Map<String, Object> elements = new LinkedHashMap<>();
        int pairs = in.readUnsignedShort();
        for (int i = 0; i < pairs; i++) {
            String name = (String) pool[in.readUnsignedShort()];
            elements.put(name, value(in));
        }
        return elements;
    }

    private Object value(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case 's', 'c' -> (String) pool[in.readUnsignedShort()];
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z' -> String.valueOf(pool[in.readUnsignedShort()]);
            case 'e' -> {
                in.readUnsignedShort();
                yield (String) pool[in.readUnsignedShort()];
            }
            case '@' -> {
                in.readUnsignedShort();
                yield elements(in);
            }
            case '[' -> {
                int count = in.readUnsignedShort();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    values.add(value(in));
                }
                yield values;
            }
            default -> throw new IOException("unknown annotation element tag " + (char) tag);
        };
    }
}
