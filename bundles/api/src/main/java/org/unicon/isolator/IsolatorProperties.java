package org.unicon.isolator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of an {@link Isolator} component, written as an annotation:
 * {@code @Component(service = Isolator.class) @IsolatorProperties(name = "cgroups/mem")}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface IsolatorProperties {
    /** Prefix that turns the element names into {@link Isolator#NAME}, {@link Isolator#REQUIRES} and the rest. */
    String PREFIX_ = "unicon.isolator.";

    /** The isolator's name, as operators write it in {@code isolation}. */
    String name();

    /** Isolators that must prepare before this one. */
    String[] requires() default {};

    /** Names of the context keys this isolator puts ({@link Isolator#PRODUCES}). */
    String[] produces() default {};

    /** Names of the context keys this isolator gets ({@link Isolator#CONSUMES}). */
    String[] consumes() default {};
}
