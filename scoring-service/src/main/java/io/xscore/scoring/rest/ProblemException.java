package io.xscore.scoring.rest;

/** Thrown by resources to answer with a problem+json body. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final String field;

    public ProblemException(int status, String slug, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.field = field;
    }

    public static ProblemException notFound(String what, String detail) {
        return new ProblemException(404, "not-found", what + " not found", detail, null);
    }

    public static ProblemException badRequest(String detail, String field) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail, field);
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), instance, field);
    }

    public int status() {
        return status;
    }
}
