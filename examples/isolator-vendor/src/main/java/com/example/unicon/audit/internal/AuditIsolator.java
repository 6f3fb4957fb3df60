package com.example.unicon.audit.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

import org.unicon.isolator.ContainerContext;
import org.unicon.isolator.Isolator;
import org.unicon.isolator.RecoveredContainer;
import org.unicon.model.ContainerID;
import org.unicon.model.ContainerInfo;
import org.unicon.model.ContainerLaunchInfo;
import org.unicon.model.Image;
import org.unicon.model.IsolatorCheckpoint;
import org.unicon.model.Resource;
import org.unicon.model.Value;

/**
 * {@code vendor/audit}: one line per lifecycle event of a container (prepare, isolate, update,
 * cleanup, recover) in a file of the container's sandbox, {@code audit.log} unless configured
 * otherwise. It changes nothing about the launch. A container it cannot audit does not start
 * (prepare fails); a later event that cannot be written is logged and does not fail the
 * operation, and cleanup never fails (the sandbox may be gone already).
 */
public final class AuditIsolator implements Isolator {

    static final String NAME = "vendor/audit";
    private static final Logger LOG = System.getLogger(AuditIsolator.class.getName());

    private final AuditLog log;
    private final Map<ContainerID, AuditState> containers = new ConcurrentHashMap<>();
    private volatile String fileName;

    public AuditIsolator(String fileName, Clock clock) {
        this.fileName = checkFileName(fileName);
        this.log = new AuditLog(clock);
    }

    /** New containers are audited into this file of their sandbox; running ones keep theirs. */
    void useFile(String name) {
        fileName = checkFileName(name);
    }

    /** A plain file name in the sandbox, or an error naming the setting. */
    static String checkFileName(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.equals(".") || name.equals("..")
                || name.equals("stdout") || name.equals("stderr") || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("audit_file '" + name + "' is not usable: it must be a file name"
                    + " in the sandbox (no '/', not '.', '..', 'stdout' or 'stderr')");
        }
        return name;
    }

    @Override
    public void recover(List<RecoveredContainer> recovered, Set<ContainerID> orphans) {
        for (RecoveredContainer c : recovered) {
            Optional<IsolatorCheckpoint> state = c.state();
            if (state.isEmpty()) {
                continue; // not audited: vendor/audit was not configured when it launched
            }
            String writtenBy = state.get().getVersion();
            try {
                AuditState audit = AuditState.decode(state.get().getState().toByteArray(), writtenBy);
                containers.put(c.containerId(), audit);
                log.append(audit.sandbox().resolve(audit.file()), "recover", c.containerId().getValue(),
                        "state_version=" + writtenBy);
            } catch (IllegalArgumentException | IOException e) {
                LOG.log(Level.WARNING, "container '" + c.containerId().getValue() + "': not audited after recovery: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public Optional<ContainerLaunchInfo> prepare(ContainerContext container) throws IOException {
        AuditState audit = new AuditState(container.sandbox(), fileName);
        String id = container.containerId().getValue();
        log.append(audit.sandbox().resolve(audit.file()), "prepare", id, "image=" + image(container.config().getContainerInfo()));
        container.checkpoint(audit.encode());
        containers.put(container.containerId(), audit);
        return Optional.empty();
    }

    @Override
    public void isolate(ContainerID id, long pid) {
        append(id, "isolate", "pid=" + pid);
    }

    @Override
    public void update(ContainerID id, List<Resource> resources, Map<String, Value.Scalar> limits) {
        StringJoiner asked = new StringJoiner(";");
        resources.forEach(r -> asked.add(r.hasScalar() ? r.getName() + ":" + number(r.getScalar().getValue()) : r.getName()));
        StringJoiner limited = new StringJoiner(";");
        limits.forEach((name, scalar) -> limited.add(name + ":" + number(scalar.getValue())));
        append(id, "update", "resources=" + asked + (limits.isEmpty() ? "" : " limits=" + limited));
    }

    @Override
    public void cleanup(ContainerID id) {
        if (containers.containsKey(id)) {
            append(id, "cleanup", "");
            containers.remove(id);
        }
    }

    private void append(ContainerID id, String event, String details) {
        AuditState audit = containers.get(id);
        if (audit == null) {
            return; // not audited (launched before vendor/audit was configured)
        }
        try {
            log.append(audit.sandbox().resolve(audit.file()), event, id.getValue(), details);
        } catch (IOException e) {
            LOG.log(Level.WARNING, e.getMessage());
        }
    }

    private static String image(ContainerInfo info) {
        if (!info.hasMesos() || !info.getMesos().hasImage()) {
            return "none";
        }
        Image image = info.getMesos().getImage();
        return switch (image.getType()) {
            case DOCKER -> "docker:" + image.getDocker().getName();
            case APPC -> "appc:" + image.getAppc().getName();
            default -> image.getType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** 64.0 as "64", 0.5 as "0.5". */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
