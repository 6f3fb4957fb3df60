package org.unicon.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.unicon.itests.paxexam.AgentInFramework.await;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.unicon.containerizer.Containerizer;
import org.unicon.model.ContainerState;
import org.unicon.model.IsolatorCheckpoint;
import org.unicon.model.PluginInfo;
import org.unicon.model.Resource;
import org.unicon.model.Value;

/**
 * The test isolator's bundle is updated in place from 1.0.0 to 1.1.0 (Bundle.update, then a
 * refresh of that bundle alone) while containers it prepared run: they keep running, 1.1.0
 * recovers the state 1.0.0 checkpointed and migrates it, later calls go through 1.1.0, and
 * nothing but the isolator's bundle is restarted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class IsolatorUpgradeTest {
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
        agent = new AgentInFramework(context, configurationAdmin,
                Map.of("isolation", VersionedIsolatorJars.ISOLATOR, "plugin_wait_seconds", 2L));
        awaitIsolatorInUse("1.0.0");
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
    public void anUpdatedIsolatorKeepsItsContainersRunningAndMigratesTheirState() throws Exception {
        long pid = agent.launchSleeper("c1");
        Map<Long, Long> processes = agent.processes("c1");
        IsolatorCheckpoint before = checkpoint("c1");
        assertEquals("1.0.0", before.getVersion());
        assertTrue(before.getState().toStringUtf8(), before.getState().toStringUtf8().startsWith("A "));
        String token = Files.readString(agent.sandbox("c1").resolve("versioned.resource"));

        Bundle api = bundle("org.unicon.api");
        Bundle core = bundle("org.unicon.core");
        long apiModified = api.getLastModified();
        long coreModified = core.getLastModified();
        Object containerizerId = agent.containerizerReference().getProperty(Constants.SERVICE_ID);
        List<String> bundleEvents = Collections.synchronizedList(new ArrayList<>());
        SynchronousBundleListener bundleListener = event -> bundleEvents.add(event.getBundle().getSymbolicName());
        List<Integer> containerizerEvents = Collections.synchronizedList(new ArrayList<>());
        ServiceListener serviceListener = event -> containerizerEvents.add(event.getType());
        context.addBundleListener(bundleListener);
        context.addServiceListener(serviceListener, "(" + Constants.OBJECTCLASS + "=" + Containerizer.class.getName() + ")");
        try {
            bundles.update(isolator, "1.1.0");
            awaitIsolatorInUse("1.1.0");
            await("1.1.0 recovers c1", () -> journal("c1").contains(
                    "1.1.0 recover c1 from 1.0.0 format A, migrated to B"));
        } finally {
            context.removeBundleListener(bundleListener);
            context.removeServiceListener(serviceListener);
        }

        assertEquals(ContainerState.RUNNING, agent.state("c1"));
        assertEquals("the core still knows the same process", pid, agent.pid("c1"));
        assertEquals("no process of c1 was restarted", processes, agent.processes("c1"));
        assertEquals("only the isolator's bundle changed state", Set.of(VersionedIsolatorJars.SYMBOLIC_NAME),
                new TreeSet<>(bundleEvents));
        assertEquals(Bundle.ACTIVE, api.getState());
        assertEquals(Bundle.ACTIVE, core.getState());
        assertEquals("the API bundle was not updated", apiModified, api.getLastModified());
        assertEquals("the core bundle was not updated", coreModified, core.getLastModified());
        assertTrue("the Containerizer service stayed registered: " + containerizerEvents,
                containerizerEvents.stream().noneMatch(type -> type == ServiceEvent.UNREGISTERING));
        assertEquals(containerizerId, agent.containerizerReference().getProperty(Constants.SERVICE_ID));

        agent.containerizer().update(AgentInFramework.id("c1"), List.of(scalar("cpus", 0.5), scalar("mem", 64)),
                Map.of());
        agent.containerizer().usage(AgentInFramework.id("c1"));
        String migrated = "B;token=" + token + ";sandbox=" + agent.sandbox("c1");
        IsolatorCheckpoint rewritten = checkpoint("c1");
        assertEquals("the migration is checkpointed by the version that made it", "1.1.0", rewritten.getVersion());
        assertEquals(migrated, rewritten.getState().toStringUtf8());
        assertTrue(journal("c1").toString(), journal("c1").contains("1.1.0 update c1 with 2 resources (" + migrated + ")"));
        assertTrue(journal("c1").toString(), journal("c1").contains("1.1.0 usage c1 (" + migrated + ")"));

        long newPid = agent.launchSleeper("c2");
        assertTrue(journal("c2").toString(), journal("c2").contains("1.1.0 prepare c2 format B"));
        IsolatorCheckpoint fresh = checkpoint("c2");
        assertEquals("1.1.0", fresh.getVersion());
        assertTrue(fresh.getState().toStringUtf8(), fresh.getState().toStringUtf8().startsWith("B;"));

        agent.destroy("c1");
        assertTrue(journal("c1").toString(), journal("c1").contains("1.1.0 cleanup c1 (" + migrated + ")"));
        assertFalse("1.1.0 released what 1.0.0 created", Files.exists(agent.sandbox("c1").resolve("versioned.resource")));
        assertTrue("c1's processes are gone", processes.keySet().stream().noneMatch(AgentInFramework::alive));
        assertFalse("the core dropped c1's isolator checkpoints", Files.exists(agent.runtimeDir("c1").resolve("isolators")));
        assertTrue(AgentInFramework.alive(newPid));
    }

    /**
     * Measures, without asserting it, how long a launch started while the isolator's bundle is
     * being updated takes compared with one started while the isolator is there: the first
     * round updates 1.0.0 to 1.1.0, the next ones update 1.1.0 in place again.
     */
    @Test
    public void aLaunchDuringTheUpgradeWaitsForTheNewVersion() throws Exception {
        agent.launchSleeper("c1");
        List<Long> baseline = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            long start = System.nanoTime();
            agent.launchSleeper("b" + i);
            baseline.add(System.nanoTime() - start);
        }
        List<Long> heldUp = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "held" + round;
            long[] took = launchDuringUpdate(name);
            heldUp.add(took[0] - median(baseline));
            System.out.printf("[measure] round %d: a launch started as test/versioned stopped took %.1f ms;"
                    + " Bundle.update + refresh took %.1f ms%n", round, took[0] / 1e6, took[1] / 1e6);
            assertEquals(ContainerState.RUNNING, agent.state(name));
            assertTrue("the held launch was prepared by the new version: " + journal(name),
                    journal(name).contains("1.1.0 prepare " + name + " format B"));
        }
        System.out.printf("[measure] an isolator upgrade held a concurrent launch up by %.1f ms (median of %d;"
                + " max %.1f ms) over a launch with the isolator present (median %.1f ms)%n",
                Math.max(0, median(heldUp)) / 1e6, ROUNDS, Collections.max(heldUp) / 1e6, median(baseline) / 1e6);
        assertEquals(ContainerState.RUNNING, agent.state("c1"));
    }

    private static final int ROUNDS = 5;

    /** Updates the isolator to 1.1.0 and launches {@code name} as its old version stops; the nanoseconds each took. */
    private long[] launchDuringUpdate(String name) throws Exception {
        CompletableFuture<Long> launch = new CompletableFuture<>();
        AtomicBoolean launched = new AtomicBoolean();
        SynchronousBundleListener launchOnStop = event -> {
            if (event.getBundle().equals(isolator) && event.getType() == BundleEvent.STOPPED
                    && launched.compareAndSet(false, true)) {
                new Thread(() -> {
                    long start = System.nanoTime();
                    try {
                        agent.launchSleeper(name);
                        launch.complete(System.nanoTime() - start);
                    } catch (Throwable e) {
                        launch.completeExceptionally(e);
                    }
                }, "launch-" + name).start();
            }
        };
        context.addBundleListener(launchOnStop);
        long start = System.nanoTime();
        long upgrade;
        try {
            bundles.update(isolator, "1.1.0");
            upgrade = System.nanoTime() - start;
        } finally {
            context.removeBundleListener(launchOnStop);
        }
        return new long[] {launch.get(AgentInFramework.PATIENCE_SECONDS, TimeUnit.SECONDS), upgrade};
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private void awaitIsolatorInUse(String version) throws InterruptedException {
        await("test/versioned " + version + " is in use", () -> agent.containerizer().plugins().stream().anyMatch(p ->
                p.getName().equals(VersionedIsolatorJars.ISOLATOR) && p.getStatus() == PluginInfo.Status.IN_USE
                        && p.getBundleVersion().equals(version)));
    }

    private List<String> journal(String name) {
        try {
            return agent.journal(name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private IsolatorCheckpoint checkpoint(String name) throws Exception {
        return IsolatorCheckpoint.parseFrom(Files.readAllBytes(agent.runtimeDir(name).resolve("isolators")
                .resolve(java.net.URLEncoder.encode(VersionedIsolatorJars.ISOLATOR, java.nio.charset.StandardCharsets.UTF_8))));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName + " is installed");
    }

    private static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }
}
