package io.xscore.common.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The roles a bearer token may carry (in its {@code groups} claim, or the claim {@code smallrye.jwt.path.groups} names)
 * and what each implies. A higher role includes the lower ones, so an identity provider need only assign one:
 * <ul>
 *   <li>{@code viewer}: read evaluations, leaderboards, scores, models and datasets;</li>
 *   <li>{@code submitter}: a viewer who may also submit evaluations and cancel its own;</li>
 *   <li>{@code admin}: a submitter who may also cancel anyone's evaluation and register, prepare or download
 *       datasets;</li>
 *   <li>{@code service}: the services' own calls to each other (the gateway asking the dataset service to prepare a
 *       dataset, a trainer asking for augmented epochs); a viewer besides, never a submitter.</li>
 * </ul>
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String SUBMITTER = "submitter";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    /** Every role, highest first. */
    public static final List<String> ALL = List.of(ADMIN, SUBMITTER, VIEWER, SERVICE);

    private Roles() {
    }

    /** The roles given and every role they imply; unknown roles are kept as they are (they grant nothing here). */
    public static Set<String> withImplied(Iterable<String> roles) {
        Set<String> out = new LinkedHashSet<>();
        for (String role : roles) {
            out.add(role);
            switch (role) {
                case ADMIN -> out.addAll(List.of(SUBMITTER, VIEWER));
                case SUBMITTER, SERVICE -> out.add(VIEWER);
                default -> {
                }
            }
        }
        return out;
    }

    public static boolean isKnown(String role) {
        return ALL.contains(role);
    }
}
