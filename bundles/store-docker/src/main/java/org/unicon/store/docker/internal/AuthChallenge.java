package org.unicon.store.docker.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters.
 * A header may carry several challenges and a parameter may repeat ({@code scope} does when a
 * request needs several repositories), so parameters are lists.
 */
record AuthChallenge(String scheme, Map<String, List<String>> params) {

    /** The first value of {@code name}, or null. */
    String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** All challenges in the given header values, in order; malformed parts are skipped. */
    static List<AuthChallenge> parse(List<String> headers) {
        List<AuthChallenge> out = new ArrayList<>();
        for (String h : headers) {
            parseOne(h, out);
        }
        return out;
    }

    private static void parseOne(String h, List<AuthChallenge> out) {
        int i = 0;
        int n = h.length();
        String scheme = null;
        Map<String, List<String>> params = null;
        while (i < n) {
            while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t' || h.charAt(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(h.charAt(i))) {
                i++;
            }
            if (i == start) {
                i++;
                continue;
            }
            String token = h.substring(start, i);
            int j = i;
            while (j < n && (h.charAt(j) == ' ' || h.charAt(j) == '\t')) {
                j++;
            }
            if (j < n && h.charAt(j) == '=' && scheme != null) {
                i = j + 1;
                while (i < n && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && h.charAt(i) == '"') {
                    i++;
                    while (i < n && h.charAt(i) != '"') {
                        if (h.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        value.append(h.charAt(i++));
                    }
                    i++;
                } else {
                    while (i < n && h.charAt(i) != ',' && h.charAt(i) != ' ') {
                        value.append(h.charAt(i++));
                    }
                }
                params.computeIfAbsent(token.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value.toString());
            } else {
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, params));
                }
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
                i = j;
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
        }
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
    }
}
