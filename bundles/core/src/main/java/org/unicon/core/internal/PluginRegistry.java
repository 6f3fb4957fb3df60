package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.unicon.isolator.Isolator;
import org.unicon.launcher.Launcher;
import org.unicon.provisioner.ProvisionerBackend;
import org.unicon.store.ImageStore;

/**
 * The plugins registered right now, by kind and name. Services come and go at any time (DS
 * binds and unbinds them dynamically); readers get a consistent snapshot of one name per call.
 */
public final class PluginRegistry {

    /** One kind of plugin, keyed by name. */
    public static final class Kind<T> {
        private final Map<String, List<Plugin<T>>> byName = new ConcurrentHashMap<>();
        private final List<Consumer<Plugin<T>>> arriving = new CopyOnWriteArrayList<>();
        /** Names of the plugins whose arrival listeners are running (they are recovering). */
        private final Set<String> recovering = ConcurrentHashMap.newKeySet();
        private final List<Consumer<Plugin<T>>> listeners = new CopyOnWriteArrayList<>();
        private final Runnable changed;

        Kind(Runnable changed) {
            this.changed = changed;
        }

        /**
         * Adds {@code plugin}: the {@link #onArriving} listeners run first (it recovers), and only
         * then can a launch find it; then the {@link #onAdded} listeners run.
         */
        public void add(Plugin<T> plugin) {
            recovering.add(plugin.name());
            try {
                arriving.forEach(listener -> listener.accept(plugin));
            } finally {
                recovering.remove(plugin.name());
            }
            byName.compute(plugin.name(), (name, list) -> {
                List<Plugin<T>> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
                next.add(plugin);
                next.sort(Comparator.comparingLong(Plugin::rank));
                return List.copyOf(next);
            });
            listeners.forEach(listener -> listener.accept(plugin));
            changed.run();
        }

        public void remove(T service) {
            for (String name : List.copyOf(byName.keySet())) {
                byName.computeIfPresent(name, (n, list) -> {
                    List<Plugin<T>> next = new ArrayList<>(list);
                    next.removeIf(p -> p.service() == service);
                    return next.isEmpty() ? null : List.copyOf(next);
                });
            }
        }

        /**
         * The same service with new properties (a new name, requires, version...): replaces its
         * entry without telling the listeners, which already know the service.
         */
        public void replace(Plugin<T> plugin) {
            remove(plugin.service());
            byName.compute(plugin.name(), (name, list) -> {
                List<Plugin<T>> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
                next.add(plugin);
                next.sort(Comparator.comparingLong(Plugin::rank));
                return List.copyOf(next);
            });
            changed.run();
        }

        /** Whether a plugin of this name has arrived and is recovering, not to be got yet. */
        public boolean recovering(String name) {
            return recovering.contains(name);
        }

        /** The plugin used for {@code name}: of several registered under it, the lowest rank. */
        public Optional<Plugin<T>> get(String name) {
            List<Plugin<T>> list = byName.get(name);
            return list == null ? Optional.empty() : Optional.of(list.get(0));
        }

        /** Every registered plugin, in name order. */
        public List<Plugin<T>> all() {
            List<Plugin<T>> all = new ArrayList<>();
            byName.values().forEach(all::addAll);
            all.sort(Comparator.comparing((Plugin<T> p) -> p.name()).thenComparingLong(Plugin::rank));
            return all;
        }

        /**
         * Calls {@code listener} with every plugin added from now on, before anyone can get it,
         * until the returned handle runs.
         */
        public Runnable onArriving(Consumer<Plugin<T>> listener) {
            arriving.add(listener);
            return () -> arriving.remove(listener);
        }

        /** Calls {@code listener} with every plugin added from now on, once it can be got, until the returned handle runs. */
        public Runnable onAdded(Consumer<Plugin<T>> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    public final Kind<Isolator> isolators = new Kind<>(this::added);
    public final Kind<Launcher> launchers = new Kind<>(this::added);
    public final Kind<ImageStore> stores = new Kind<>(this::added);
    public final Kind<ProvisionerBackend> backends = new Kind<>(this::added);

    /** Counts plugins added, so that a launch can wait for a missing one. */
    private long additions;

    private synchronized void added() {
        additions++;
        notifyAll();
    }

    /** How many plugins have been added so far (for {@link #awaitAddition}). */
    public synchronized long additions() {
        return additions;
    }

    /**
     * Waits until a plugin is added after {@code seen} additions, or until {@code deadline}
     * ({@link System#nanoTime()}); false when the deadline passed first.
     */
    public synchronized boolean awaitAddition(long seen, long deadline) throws InterruptedException {
        while (additions == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
