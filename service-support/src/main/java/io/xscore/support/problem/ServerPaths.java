package io.xscore.support.problem;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the server's filesystem paths from text meant for callers. A message written for the log ("directory
 * /srv/data/cifar10 does not exist") becomes one fit for a response body ("directory (a server path) does not exist").
 * API paths ({@code /api/...}), URLs ({@code https://host/x}) and ratios ({@code 12/5000}) are kept; so are the paths
 * the caller itself sent (with what lies under them, and their leading parts), since a caller may see those.
 */
public final class ServerPaths {

    public static final String REPLACEMENT = "(a server path)";

    /**
     * An absolute (or home-relative) path: a '/' that does not follow a word character, another '/', ':' or '.',
     * then path characters. Paths in messages are not quoted consistently, so quotes, spaces, commas and brackets end
     * one.
     */
    private static final Pattern PATH = Pattern.compile("(?<![\\w/:.~-])~?/[^\\s'\"`,;()\\[\\]{}<>]*");

    private ServerPaths() {
    }

    /** {@code text} with every server path replaced, except {@code callerPaths} and paths under them. */
    public static String redact(String text, List<String> callerPaths) {
        if (text == null || text.indexOf('/') < 0) {
            return text;
        }
        Matcher m = PATH.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String path = m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(keep(path, callerPaths) ? path : REPLACEMENT));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String redact(String text) {
        return redact(text, List.of());
    }

    private static boolean keep(String path, List<String> callerPaths) {
        if (path.equals("/") || path.startsWith("/api/") || path.startsWith("/q/")) {
            return true;
        }
        for (String sent : callerPaths) {
            String prefix = sent.endsWith("/") ? sent : sent + "/";
            // the path itself, one under it, or a part of it (a space in the sent path ends a match early)
            if (!sent.isEmpty() && (path.startsWith(prefix) || sent.startsWith(path))) {
                return true;
            }
        }
        return false;
    }
}
