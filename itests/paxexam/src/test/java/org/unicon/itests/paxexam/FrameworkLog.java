package org.unicon.itests.paxexam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * What bundles log to the OSGi log service from now on, as one line per entry: the bundle, the
 * level, the message and the messages of the exception and its causes. SCR logs there what a
 * component's {@code @Modified} method throws (in the agent, without a log service, SCR prints
 * the same to the console).
 */
final class FrameworkLog implements LogListener, AutoCloseable {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final BundleContext context;
    private final ServiceReference<LogReaderService> reference;
    private final LogReaderService reader;

    FrameworkLog(BundleContext context) {
        this.context = context;
        reference = context.getServiceReference(LogReaderService.class);
        if (reference == null) {
            throw new AssertionError("no LogReaderService: the framework must run org.apache.felix.log");
        }
        reader = context.getService(reference);
        reader.addLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        StringBuilder line = new StringBuilder().append(entry.getBundle().getSymbolicName()).append(' ')
                .append(entry.getLogLevel()).append(": ").append(entry.getMessage());
        for (Throwable e = entry.getException(); e != null; e = e.getCause()) {
            line.append(" | ").append(e.getMessage());
        }
        lines.add(line.toString());
    }

    /** Entries logged so far that contain {@code text}. */
    List<String> containing(String text) {
        synchronized (lines) {
            return lines.stream().filter(line -> line.contains(text)).toList();
        }
    }

    @Override
    public void close() {
        reader.removeLogListener(this);
        context.ungetService(reference);
    }
}
