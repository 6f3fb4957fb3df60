package org.unicon.cli.internal;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * The shutdown hook of a foreground {@code execute}: when the CLI is interrupted (Ctrl-C, SIGTERM)
 * before the container has ended, kills the container and, unless {@code --keep}, removes it, so
 * that an interrupted execute leaves nothing running. Disarmed once the container has ended.
 */
final class KillOnInterrupt extends Thread {

    private final AgentClient client;
    private final String id;
    private final boolean keep;
    private final PrintStream err;
    private volatile boolean armed = true;

    KillOnInterrupt(AgentClient client, String id, boolean keep, PrintStream err) {
        super("unicon-kill-on-interrupt");
        this.client = client;
        this.id = id;
        this.keep = keep;
        this.err = err;
    }

    void disarm() {
        armed = false;
    }

    @Override
    public void run() {
        if (!armed) {
            return;
        }
        try {
            client.send(ContainerCalls.killCall(id, null));
            err.println("unicon: interrupted: killed container " + id);
            if (!keep) {
                client.sendAsync(ContainerCalls.waitCall(id)).get(10, TimeUnit.SECONDS);
                client.send(ContainerCalls.removeCall(id));
            }
        } catch (Exception e) {
            err.println("unicon: interrupted, and could not kill container " + id + ": " + e.getMessage()
                    + "; kill it with `unicon kill " + id + "`");
        }
    }
}
