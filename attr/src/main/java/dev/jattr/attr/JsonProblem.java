package dev.jattr.attr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/** Jackson's complaint about a JSON text in a user's words: what is wrong and where, without its source excerpt or class names. */
public final class JsonProblem {
    private JsonProblem() {}

    /** What is wrong in the text and at which line and column ({@code Duplicate field 'a' at line 1, column 9}). */
    public static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        m = m.replaceAll(",? from `[^`]*`", "").replaceAll("\\s*\\(start marker at \\[[^]]*]\\)", "").replace("`", "'");
        int cut = m.indexOf(": ");
        String first = (cut > 0 && !(e instanceof StreamConstraintsException) ? m.substring(0, cut) : m).strip();
        var where = e.getLocation();
        if (where == null || where.getColumnNr() < 1 || e instanceof StreamConstraintsException) {
            return first;
        }
        return first + " at " + (where.getLineNr() > 1 ? "line " + where.getLineNr() + ", " : "") + "column " + where.getColumnNr();
    }
}
