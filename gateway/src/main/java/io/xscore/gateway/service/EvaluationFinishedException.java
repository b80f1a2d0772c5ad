package io.xscore.gateway.service;

import io.xscore.gateway.evaluation.EvaluationStatus;
import io.xscore.support.problem.ProblemException;

/** The evaluation already finished: there is nothing to cancel (409). */
public class EvaluationFinishedException extends ProblemException {
    public EvaluationFinishedException(String id, EvaluationStatus status) {
        super(409, "evaluation-finished", "Evaluation already finished",
                "evaluation '" + id + "' already finished (" + status + ")", null);
    }
}
