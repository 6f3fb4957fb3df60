package org.unicon.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.unicon.itests.paxexam.AgentInFramework.await;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.unicon.containerizer.Containerizer;
import org.unicon.containerizer.ContainerizerException;
import org.unicon.model.ContainerState;
import org.unicon.model.PluginInfo;

/**
 * The test isolator's bundle is uninstalled while a container it prepared runs: launches that
 * need it wait plugin_wait_seconds and fail naming it, the running container is untouched, and
 * installing the bundle again heals (it recovers the running container; launches work again).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class IsolatorUninstallTest {
    private static final Map<String, Object> SETTINGS = Map.of("isolation", VersionedIsolatorJars.ISOLATOR,
            "plugin_wait_seconds", 2L);

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private IsolatorBundles bundles;
    private Bundle isolator;
    private AgentInFramework agent;

    @Configuration
    public Option[] configuration() throws Exception {
        return RuntimeOptions.agentRuntime();
    }

    @Before
    public void startAgentWithVersionOne() throws Exception {
        bundles = new IsolatorBundles(context);
        isolator = bundles.install("1.0.0");
        agent = new AgentInFramework(context, configurationAdmin, SETTINGS);
        awaitIsolator(PluginInfo.Status.IN_USE);
    }

    @After
    public void stopAgent() throws Exception {
        try {
            agent.close();
        } finally {
            if (isolator.getState() != Bundle.UNINSTALLED) {
                bundles.uninstall(isolator);
            }
        }
    }

    @Test
    public void launchesFailNamingTheMissingIsolatorAndReinstallingItHeals() throws Exception {
        long pid = agent.launchSleeper("c1");
        Map<Long, Long> processes = agent.processes("c1");
        String token = Files.readString(agent.sandbox("c1").resolve("versioned.resource"));

        bundles.uninstall(isolator);
        awaitIsolator(PluginInfo.Status.MISSING);
        long start = System.nanoTime();
        ContainerizerException refused = assertThrows(ContainerizerException.class,
                () -> agent.containerizer().launch(AgentInFramework.launch("u1", "true")));
        System.out.printf("[measure] a launch needing the uninstalled test/versioned failed after %.1f ms"
                + " (plugin_wait_seconds = 2)%n", (System.nanoTime() - start) / 1e6);
        assertTrue(refused.getMessage(), refused.getMessage().contains("isolation names 'test/versioned', which is not"
                + " installed"));
        assertTrue(refused.getMessage(), refused.getMessage().contains("(waited 2 s for isolator 'test/versioned' to"
                + " register)"));
        assertTrue("the refused container is unknown", agent.containerizer().wait(AgentInFramework.id("u1")).isEmpty());
        assertFalse("the refused container has no sandbox", Files.exists(agent.sandbox("u1")));

        assertEquals(ContainerState.RUNNING, agent.state("c1"));
        assertEquals(pid, agent.pid("c1"));
        assertEquals("no process of the running container was restarted", processes, agent.processes("c1"));
        agent.containerizer().usage(AgentInFramework.id("c1"));

        isolator = bundles.install("1.1.0");
        awaitIsolator(PluginInfo.Status.IN_USE);
        await("the reinstalled isolator recovers c1", () -> journal("c1").contains(
                "1.1.0 recover c1 from 1.0.0 format A, migrated to B"));
        agent.launchSleeper("u2");
        assertTrue(journal("u2").toString(), journal("u2").contains("1.1.0 prepare u2 format B"));

        agent.destroy("c1");
        assertTrue(journal("c1").toString(), journal("c1").contains("1.1.0 cleanup c1 (B;token=" + token + ";sandbox="
                + agent.sandbox("c1") + ")"));
        assertFalse(Files.exists(agent.sandbox("c1").resolve("versioned.resource")));
        assertTrue("c1's processes are gone", processes.keySet().stream().noneMatch(AgentInFramework::alive));
    }

    @Test
    public void aLaunchWaitingForTheMissingIsolatorGoesOnWhenItIsInstalled() throws Exception {
        bundles.uninstall(isolator);
        awaitIsolator(PluginInfo.Status.MISSING);
        Map<String, Object> patient = new HashMap<>(SETTINGS);
        patient.put("plugin_wait_seconds", AgentInFramework.PATIENCE_SECONDS);
        agent.configure(patient);
        await("the containerizer has plugin_wait_seconds " + AgentInFramework.PATIENCE_SECONDS, () ->
                Long.valueOf(AgentInFramework.PATIENCE_SECONDS).equals(
                        agent.containerizerReference().getProperty("plugin_wait_seconds")));

        CompletableFuture<Containerizer.LaunchResult> launch = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                launch.complete(agent.containerizer().launch(AgentInFramework.launch("w1", "exec sleep 600")));
            } catch (Throwable e) {
                launch.completeExceptionally(e);
            }
        }, "waiting-launch");
        thread.start();
        // Before it plans, a launch does nothing that waits: a timed wait is the wait for the isolator.
        await("the launch waits for test/versioned", () -> thread.getState() == Thread.State.TIMED_WAITING);
        assertFalse(launch.isDone());

        isolator = bundles.install("1.1.0");
        assertEquals(Containerizer.LaunchResult.LAUNCHED, launch.get(AgentInFramework.PATIENCE_SECONDS, TimeUnit.SECONDS));
        assertEquals(ContainerState.RUNNING, agent.state("w1"));
        assertTrue(journal("w1").toString(), journal("w1").contains("1.1.0 prepare w1 format B"));
    }

    private void awaitIsolator(PluginInfo.Status status) throws InterruptedException {
        await("test/versioned is " + status, () -> agent.containerizer().plugins().stream().anyMatch(p ->
                p.getName().equals(VersionedIsolatorJars.ISOLATOR) && p.getStatus() == status));
    }

    private List<String> journal(String name) {
        try {
            return agent.journal(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
