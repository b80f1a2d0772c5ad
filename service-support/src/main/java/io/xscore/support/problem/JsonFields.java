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

    /**
     * Jackson's syntax message rewritten for callers, with the line and column: no Java type or Jackson feature names,
     * no source excerpt, one line, at most 200 characters.
     */
    public static String syntaxError(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        message = message.lines().findFirst().orElse("");
        message = plain(message);
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message = message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }

    private static String plain(String message) {
        if (message.isBlank()) {
            return "malformed JSON";
        }
        if (message.startsWith("Trailing token")) {
            return "unexpected data after the JSON value";
        }
        if (message.startsWith("Non-standard token")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (message.contains("nesting depth")) {
            return "nested too deeply";
        }
        if (message.startsWith("Number value length") || message.startsWith("Number length")) {
            return "a number is too long";
        }
        if (message.startsWith("String value length") || message.startsWith("String length")) {
            return "a string is too long";
        }
        if (message.startsWith("Numeric value") && message.contains("out of range")) {
            return "a number is out of range";
        }
        if (message.contains("maybe a (non-standard) comment")) {
            return "comments are not JSON";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return "unexpected end of input";
        }
        if (message.startsWith("No content to map")) {
            return "the body is empty";
        }
        int source = message.indexOf("[Source:");
        if (source >= 0) {
            message = message.substring(0, source);
        }
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        message = message.replaceAll("`[^`]*`", "value").strip();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return JAVA_NAME.matcher(message).find() || message.isEmpty() ? "malformed JSON" : message;
    }

    /** Anything that looks like a Java class or package name. */
    static final java.util.regex.Pattern JAVA_NAME =
            java.util.regex.Pattern.compile("\\b(java|javax|jakarta|com|org|io)\\.[a-z]|Exception|\\$");

    /** The JSON type a Java target type is read from, for "expected ..." details that name no Java type. */
    public static String jsonTypeOf(Class<?> target) {
        if (target == null) {
            return "a value of another type";
        }
        if (target.isPrimitive()) {
            return target == boolean.class ? "true or false" : target == char.class ? "a string"
                    : target == float.class || target == double.class ? "a number" : "an integer";
        }
        if (Boolean.class == target) {
            return "true or false";
        }
        if (Integer.class == target || Long.class == target || Short.class == target || Byte.class == target
                || java.math.BigInteger.class == target) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(target)) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(target) || Character.class == target || target.isEnum()) {
            return "a string";
        }
        if (target.isArray() || java.util.Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        return "an object";
    }
}
