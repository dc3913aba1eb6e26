package org.pfmeter.pf.model;

/**
 * (anchor path, label): how labels are told apart. "" is the main ruleset.
 *
 * <h2>The qualified name</h2>
 * {@link #toString()} prints a label as one unambiguous name, which billing prints and its selectors
 * ({@code --label}, customer mappings) read back with {@link #parse}: {@code label} for the main
 * ruleset, {@code anchor/path:label} inside an anchor. pf allows a ':' in both an anchor name and a
 * label, so a ':' that is part of either is written {@code \:}: the main-ruleset label
 * {@code office:office-web} is {@code office\:office-web}, the label {@code office-web} in anchor
 * {@code office} is {@code office:office-web}. Names already write a backslash as {@code \\} and a
 * byte that is not UTF-8 as {@code \xNN} (pfcore's KernelStrings), so {@code \:} cannot be mistaken
 * for anything else, and a name without a ':' (nearly all of them) is printed as it always was.
 */
public record LabelKey(String anchor, String label) implements Comparable<LabelKey> {

    @Override
    public int compareTo(LabelKey o) {
        int c = anchor.compareTo(o.anchor);
        return c != 0 ? c : label.compareTo(o.label);
    }

    /** The qualified name (see the class comment). */
    @Override
    public String toString() {
        return anchor.isEmpty() ? escape(label) : escape(anchor) + ":" + escape(label);
    }

    /**
     * Reads a qualified name back: the one ':' not written {@code \:} separates the anchor path from
     * the label; without one it is a label of the main ruleset.
     *
     * @throws IllegalArgumentException for a name with more than one such ':' (which label it means
     *                                  is not clear) or starting with one (an empty anchor path)
     */
    public static LabelKey parse(String qualified) {
        StringBuilder part = new StringBuilder(qualified.length());
        String anchor = null;
        int n = qualified.length();
        for (int i = 0; i < n; i++) {
            char c = qualified.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char next = qualified.charAt(++i);
                if (next != ':') {
                    part.append(c);        // \\ and \xNN stay as they are: they are the name's own escapes
                }
                part.append(next);
            } else if (c == ':') {
                if (anchor != null) {
                    throw new IllegalArgumentException("label name '" + qualified + "' has more than one ':': write a ':'"
                            + " that is part of an anchor or label name as '\\:' (anchor:label, e.g. 'office:office-web'"
                            + " for label office-web in anchor office, 'office\\:office-web' for that label of the main ruleset)");
                }
                if (part.length() == 0) {
                    throw new IllegalArgumentException("label name '" + qualified + "' starts with ':': a label of the"
                            + " main ruleset is written without one; a ':' that is part of its name is written '\\:'");
                }
                anchor = part.toString();
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        return anchor == null ? new LabelKey("", part.toString()) : new LabelKey(anchor, part.toString());
    }

    private static String escape(String s) {
        return s.indexOf(':') < 0 ? s : s.replace(":", "\\:");
    }
}
