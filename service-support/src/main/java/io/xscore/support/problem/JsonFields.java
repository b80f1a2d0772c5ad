package io.xscore.support.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.List;

/** Field names for problem bodies, written the way request bodies are: {@code models[1]}, {@code overrides.epochs}. */
public final class JsonFields {

    private JsonFields() {
    }

    /** Jackson's reference chain as a field name; "body" for the whole body. */
    public static String ofPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    /**
     * A Bean Validation property path without the method and parameter nodes of a resource method: for a violation on
     * {@code submit(request).models[1]} the field is {@code models[1]}; for a query or path parameter, its name.
     */
    public static String ofViolation(ConstraintViolation<?> violation) {
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(node.getName());
            }
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
        }
        if (!out.isEmpty()) {
            return out.toString();
        }
        return parameter != null ? parameter : "body";
    }

    /** Jackson's syntax message (which names no Java type) with the line and column, first line only. */
    public static String syntaxError(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        message = message.lines().findFirst().orElse("malformed JSON");
        message = message.replaceAll("`[A-Za-z_$][\\w.$]*`", "value");
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message = message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }
}
