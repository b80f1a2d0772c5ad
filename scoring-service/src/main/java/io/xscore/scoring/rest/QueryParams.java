package io.xscore.scoring.rest;

import io.xscore.common.catalog.DatasetCatalog;
import io.xscore.common.protocol.Protocols;
import java.util.ArrayList;
import java.util.List;

/** Parsing of query parameters with problem+json errors naming the parameter. */
final class QueryParams {

    private QueryParams() {
    }

    /** λ: absent → null (the configured default); otherwise a finite number ≥ 0. */
    static Double lambda(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("lambda must be a number, got '" + text + "'", "lambda");
        }
        if (!Double.isFinite(v) || v < 0) {
            throw ProblemException.badRequest("lambda must be a finite number >= 0, got '" + text + "'", "lambda");
        }
        return v;
    }

    static String protocol(String text, String fallback) {
        String p = text == null || text.isBlank() ? fallback : text.strip();
        if (!Protocols.exists(p)) {
            throw ProblemException.badRequest("unknown protocol '" + p + "'; known: " + Protocols.names(), "protocol");
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
        throw ProblemException.badRequest("k must be an integer between 1 and 7, got '" + text + "'", "k");
    }

    /**
     * Comma-separated dataset ids: known, not repeated, and (when {@code allowed} is not null) among {@code allowed};
     * returned in the order given. Absent → null.
     */
    static List<String> datasets(String text, List<String> allowed) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String raw : text.split(",")) {
            String d = raw.strip();
            if (!DatasetCatalog.exists(d)) {
                throw ProblemException.badRequest("unknown dataset id '" + d + "'; known: " + DatasetCatalog.ids(),
                        "datasets");
            }
            if (allowed != null && !allowed.contains(d)) {
                throw ProblemException.badRequest("dataset " + d + " has no reference anchors; the reference scale "
                        + "covers " + allowed, "datasets");
            }
            if (out.contains(d)) {
                throw ProblemException.badRequest("dataset " + d + " is listed twice", "datasets");
            }
            out.add(d);
        }
        return out;
    }
}
