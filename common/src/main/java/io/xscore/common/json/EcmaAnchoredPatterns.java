package io.xscore.common.json;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * JSON Schema {@code pattern}s are ECMA-262 regular expressions, in which {@code $} (without the multiline flag)
 * matches only at the end of the input. In the JDK's engine {@code $} also matches before a final line terminator,
 * so {@code ^[0-9a-f]{32}$} would accept a job id followed by a newline. This factory compiles schema patterns with
 * the JDK engine after turning every {@code $} anchor (not escaped, not inside a character class) into {@code \z},
 * which is exactly ECMA's meaning; the rest of the syntax the schemas use is the same in both dialects.
 */
public final class EcmaAnchoredPatterns {

    public static final RegularExpressionFactory FACTORY = regex -> {
        Pattern pattern = Pattern.compile(translate(regex));
        return (RegularExpression) value -> pattern.matcher(value).find();
    };

    private EcmaAnchoredPatterns() {
    }

    static String translate(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                out.append(c).append(regex.charAt(++i));
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    out.append(regex.charAt(++i)); // a leading ']' is a literal inside the class
                }
            } else if (c == '$') {
                out.append("\\z");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
