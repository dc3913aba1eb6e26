package org.pfmeter.exporter.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.pfmeter.exporter.http.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pfmeter passwd USER}: prints a credentials-file line for the billing endpoints. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Reads a password (from the terminal, or one line of standard input) and prints the line to add to the billing credentials file.")
final class PasswdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "USER", description = "the user name the billing endpoint will ask for")
    String user;

    @Override
    public Integer call() throws Exception {
        try {
            Credentials.checkUser(user);        // before asking for a password that could not be used
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pfmeter passwd: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("password for %s: ", user);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length < 8) {
            spec.commandLine().getErr().println("pfmeter passwd: the password must have at least 8 characters");
            return ExitCodes.USAGE;
        }
        try {
            spec.commandLine().getOut().println(Credentials.line(user, password));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pfmeter passwd: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }
}
