package org.pfmeter.exporter.config;

/**
 * A configuration that cannot be used. The message names the key (and the file and line when it
 * came from a file) and what is allowed; {@code main} prints it and exits.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
