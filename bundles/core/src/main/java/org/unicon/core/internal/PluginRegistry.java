package org.unicon.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        private final List<Consumer<Plugin<T>>> listeners = new CopyOnWriteArrayList<>();

        public void add(Plugin<T> plugin) {
            byName.compute(plugin.name(), (name, list) -> {
                List<Plugin<T>> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
                next.add(plugin);
                next.sort(Comparator.comparingLong(Plugin::rank));
                return List.copyOf(next);
            });
            listeners.forEach(listener -> listener.accept(plugin));
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

        /** Calls {@code listener} with every plugin added from now on, until the returned handle runs. */
        public Runnable onAdded(Consumer<Plugin<T>> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    public final Kind<Isolator> isolators = new Kind<>();
    public final Kind<Launcher> launchers = new Kind<>();
    public final Kind<ImageStore> stores = new Kind<>();
    public final Kind<ProvisionerBackend> backends = new Kind<>();
}
