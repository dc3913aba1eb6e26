package org.pfmeter.pf.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The label values of {@link KernelName} enums, computed once per constant. Building them on every
 * call compiled two regular expressions per sample and made a scrape of a large firewall several
 * times slower than rendering the same samples from plain gauges.
 */
final class LabelValues {

    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EDGE_UNDERSCORE = Pattern.compile("^_|_$");

    /** Per enum class, the label values by ordinal. */
    private static final ClassValue<String[]> BY_ORDINAL = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] values = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                values[i] = sanitize(((KernelName) constants[i]).kernelName());
            }
            return values;
        }
    };

    private LabelValues() {
    }

    static String of(KernelName name) {
        if (name instanceof Enum<?> e) {
            return BY_ORDINAL.get(e.getDeclaringClass())[e.ordinal()];
        }
        return sanitize(name.kernelName());
    }

    static String sanitize(String kernelName) {
        String lower = NOT_ALNUM.matcher(kernelName.toLowerCase(Locale.ROOT)).replaceAll("_");
        return EDGE_UNDERSCORE.matcher(lower).replaceAll("");
    }
}
