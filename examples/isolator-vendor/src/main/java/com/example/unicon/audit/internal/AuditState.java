package com.example.unicon.audit.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What vendor/audit checkpoints per container (through {@code ContainerContext.checkpoint}): the
 * sandbox and the audit file it writes to, so that after an agent restart or an upgrade of this
 * bundle the new instance keeps writing to the same file. The core stamps the checkpoint with
 * the isolator's version; the state also carries its own format number, which is what a later
 * version reads to migrate: format 1 is {@code key=value} lines.
 */
record AuditState(Path sandbox, String file) {

    static final int FORMAT = 1;

    byte[] encode() {
        return ("format=" + FORMAT + "\nsandbox=" + sandbox + "\nfile=" + file + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a state this isolator checkpointed; {@code writtenBy} is the version that wrote it.
     *
     * @throws IllegalArgumentException naming what is wrong, for a format this version cannot read
     */
    static AuditState decode(byte[] bytes, String writtenBy) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        String format = values.get("format");
        if (!String.valueOf(FORMAT).equals(format)) {
            throw new IllegalArgumentException("state written by vendor/audit " + writtenBy + " has format '" + format
                    + "', but this version reads format " + FORMAT);
        }
        String sandbox = values.get("sandbox");
        String file = values.get("file");
        if (sandbox == null || file == null) {
            throw new IllegalArgumentException("state written by vendor/audit " + writtenBy + " names no "
                    + (sandbox == null ? "sandbox" : "file"));
        }
        return new AuditState(Path.of(sandbox), AuditIsolator.checkFileName(file));
    }
}
