package io.xscore.scoring.rest;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.protocol.Protocols;
import io.xscore.support.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parsing of query parameters with problem+json errors naming the parameter. */
final class QueryParams {

    /**
     * A plain decimal number. {@link Double#parseDouble} alone would also take "0x1p3", "1d" and "NaN", none of which
     * a caller means as λ.
     */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** How much of a rejected value a detail repeats: enough to recognise it, never a whole hostile payload. */
    private static final int ECHO_LIMIT = 64;

    private QueryParams() {
    }

    /** λ: absent → null (the configured default); otherwise a finite number ≥ 0. */
    static Double lambda(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw ProblemException.badRequest("lambda", "lambda must be a number, got " + echo(text));
        }
        double v = Double.parseDouble(t);
        if (!Double.isFinite(v) || v < 0) {
            throw ProblemException.badRequest("lambda", "lambda must be a finite number >= 0, got " + echo(text));
        }
        return v;
    }

    /** A protocol name exactly as the catalog spells it (no surrounding whitespace or control characters). */
    static String protocol(String text, String fallback) {
        String p = text == null || text.isEmpty() ? fallback : text;
        if (!Protocols.exists(p)) {
            throw ProblemException.badRequest("protocol", "unknown protocol " + echo(p) + "; known: "
                    + Protocols.names());
        }
        return p;
    }

    static Integer k(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int k = Integer.parseInt(text.strip());
            if (k >= 1 && k <= 7) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("k", "k must be an integer between 1 and 7, got " + echo(text));
    }

    /**
     * Comma-separated dataset ids: at least one, none empty, known, not repeated, and (when {@code allowed} is not
     * null) among {@code allowed}; returned in the order given. Absent → null.
     */
    static List<String> datasets(String text, List<String> allowed) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // -1: keep trailing empty entries, so "cifar10," is reported rather than read as "cifar10"
        String[] entries = text.split(",", -1);
        List<String> out = new ArrayList<>();
        for (String raw : entries) {
            String d = raw.strip();
            if (d.isEmpty()) {
                throw ProblemException.badRequest("datasets", "datasets is a comma-separated list of dataset ids "
                        + "with no empty entries, got " + echo(text));
            }
            if (!DatasetCatalog.exists(d)) {
                throw ProblemException.badRequest("datasets", "unknown dataset id " + echo(d) + "; known: "
                        + DatasetCatalog.ids());
            }
            if (allowed != null && !allowed.contains(d)) {
                throw ProblemException.badRequest("datasets", "dataset " + d + " has no reference anchors; the "
                        + "reference scale covers " + allowed);
            }
            if (out.contains(d)) {
                throw ProblemException.badRequest("datasets", "dataset " + d + " is listed twice");
            }
            out.add(d);
        }
        return out;
    }

    /** A caller's value quoted for a detail, cut to {@link #ECHO_LIMIT} characters. */
    static String echo(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() > ECHO_LIMIT ? value.substring(0, ECHO_LIMIT) + "..." : value) + "'";
    }
}
