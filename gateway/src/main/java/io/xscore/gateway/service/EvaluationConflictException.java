package io.xscore.gateway.service;

import io.xscore.support.problem.ProblemException;

/** A client-chosen evaluation id already names a different request (409). */
public class EvaluationConflictException extends ProblemException {
    public EvaluationConflictException(String id) {
        super(409, "evaluation-conflict", "Evaluation id already used",
                "evaluation '" + id + "' already exists with a different request", "evaluationId");
    }

    public EvaluationConflictException(String id, String detail) {
        super(409, "evaluation-conflict", "Evaluation id already used", detail, "evaluationId");
    }
}
