package io.xscore.support.problem;

/**
 * An error the HTTP layer answers with a problem+json body: status, a short stable slug for the problem type, a title,
 * a human-readable detail and (optionally) the offending field. Services throw it (or a subclass) from resources and
 * services; {@link ProblemMappers} turns it into the response. The detail of a 4xx or 503 is shown to callers
 * ({@link #publicDetail()}): it must not contain exception class names, server paths or internal addresses. That of
 * any other 5xx is only logged: callers get a reference to the log entry.
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

    /** A 413 for a body of {@code length} bytes (-1 if unknown) over {@code limit}, in the words every service uses. */
    public static ProblemException tooLarge(long length, long limit) {
        return tooLarge("body: " + (length >= 0 ? length + " bytes, " : "") + "the limit is " + limit + " bytes");
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

    /**
     * The detail as callers see it; {@link #getMessage()} is what the log gets. The same by default; a subclass whose
     * messages may name server internals (paths, say) overrides this with a redacted form.
     */
    public String publicDetail() {
        return getMessage();
    }

    /** Seconds a client should wait before trying again (a {@code Retry-After} header); 0 for none. */
    public int retryAfterSeconds() {
        return 0;
    }

    public Problem toProblem(String instance) {
        return Problem.of(status, slug, title, publicDetail(), instance, field);
    }
}
