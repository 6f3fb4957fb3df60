package org.unicon.testkit.isolator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Declarative Services descriptor bnd generates for a component ({@code OSGI-INF/NAME.xml}),
 * read from the class path: what the service registry will actually see, properties included.
 */
final class ComponentDescriptor {
    final String name;
    final List<String> services;
    /** Property name to values; single values are one-element lists. */
    final Map<String, List<String>> properties;

    private ComponentDescriptor(String name, List<String> services, Map<String, List<String>> properties) {
        this.name = name;
        this.services = services;
        this.properties = properties;
    }

    private static final String COMPONENT = "Lorg/osgi/service/component/annotations/Component;";
    private static final String ISOLATOR_PROPERTIES = "Lorg/unicon/isolator/IsolatorProperties;";

    /**
     * The component's descriptor when bnd's output is on the class path (tests run against the
     * jar), else what its class file's annotations say bnd will write.
     */
    static ComponentDescriptor load(Class<?> component, String componentName) throws Exception {
        URL url = component.getClassLoader().getResource("OSGI-INF/" + componentName + ".xml");
        return url != null ? fromXml(url, componentName) : fromAnnotations(component, componentName);
    }

    /**
     * The {@code service} and {@code property} elements of {@code @Component} and the elements of
     * {@code @IsolatorProperties} (prefixed {@code unicon.isolator.}), as bnd turns them into a
     * descriptor. Without {@code service}, DS registers the interfaces the class implements.
     */
    @SuppressWarnings("unchecked")
    private static ComponentDescriptor fromAnnotations(Class<?> component, String componentName) throws IOException {
        ClassAnnotations annotations = ClassAnnotations.read(component);
        Map<String, Object> declaration = annotations.annotations.get(COMPONENT);
        if (declaration == null) {
            throw new IOException(component.getName() + " is not annotated @Component");
        }
        List<String> services = new ArrayList<>();
        Object service = declaration.get("service");
        if (service instanceof List<?> list) {
            for (Object descriptor : list) {
                String d = (String) descriptor;
                services.add(d.substring(1, d.length() - 1).replace('/', '.'));
            }
        } else {
            annotations.interfaces.forEach(i -> services.add(i.replace('/', '.')));
        }
        Map<String, List<String>> properties = new LinkedHashMap<>();
        if (declaration.get("property") instanceof List<?> list) {
            for (Object entry : list) {
                String property = (String) entry;
                int equals = property.indexOf('=');
                String key = property.substring(0, equals).replaceAll(":.*", "");
                properties.computeIfAbsent(key, k -> new ArrayList<>()).add(property.substring(equals + 1));
            }
        }
        Map<String, Object> isolator = annotations.annotations.get(ISOLATOR_PROPERTIES);
        if (isolator != null) {
            isolator.forEach((element, value) -> properties.put("unicon.isolator." + element,
                    value instanceof List<?> list ? (List<String>) list : List.of((String) value)));
        }
        return new ComponentDescriptor(componentName, services, properties);
    }

    private static ComponentDescriptor fromXml(URL url, String componentName) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document;
        try (InputStream in = url.openStream()) {
            document = factory.newDocumentBuilder().parse(in);
        }
        List<String> services = new ArrayList<>();
        NodeList provides = document.getElementsByTagName("provide");
        for (int i = 0; i < provides.getLength(); i++) {
            services.add(((Element) provides.item(i)).getAttribute("interface"));
        }
        Map<String, List<String>> properties = new LinkedHashMap<>();
        NodeList nodes = document.getElementsByTagName("property");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element property = (Element) nodes.item(i);
            List<String> values = new ArrayList<>();
            if (property.hasAttribute("value")) {
                values.add(property.getAttribute("value"));
            } else {
                for (String line : property.getTextContent().split("\n")) {
                    if (!line.isBlank()) {
                        values.add(line.strip());
                    }
                }
            }
            properties.put(property.getAttribute("name"), values);
        }
        return new ComponentDescriptor(componentName, services, properties);
    }
}
