package io.xscore.support.problem;

/**
 * An error the HTTP layer answers with a problem+json body: status, a short stable slug for the problem type, a title,
 * a human-readable detail and (optionally) the offending field. Services throw it (or a subclass) from resources and
 * services; {@link ProblemMappers} turns it into the response. The detail is shown to callers: it must not contain
 * exception class names, server paths or internal addresses.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final String field;

    public ProblemException(int status, String slug, String title, String detail, String field) {
        this(status, slug, title, detail, field, null);
    }

    public ProblemException(int status, String slug, String title, String detail, String field, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.field = field;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail, field);
    }

    public static ProblemException notFound(String what, String detail) {
        return new ProblemException(404, "not-found", what + " not found", detail, null);
    }

    public static ProblemException conflict(String slug, String title, String detail, String field) {
        return new ProblemException(409, slug, title, detail, field);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "body-too-large", "Request body too large", detail, "body");
    }

    public static ProblemException unavailable(String slug, String title, String detail) {
        return new ProblemException(503, slug, title, detail, null);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public Problem toProblem(String instance) {
        return Problem.of(status, slug, title, getMessage(), instance, field);
    }
}
