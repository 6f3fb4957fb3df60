package org.unicon.isolator;

import java.util.Objects;

/**
 * A typed name for data that one isolator produces during {@code prepare} and others consume,
 * such as the image's runtime config. Keys are equal when their names are equal; define each
 * one once, as a constant beside the isolator that produces it.
 *
 * @param <T> the type of the value
 */
public final class ContextKey<T> {
    private final String name;
    private final Class<T> type;

    private ContextKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> ContextKey<T> of(String name, Class<T> type) {
        return new ContextKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContextKey<?> other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + type.getSimpleName() + ")";
    }
}
