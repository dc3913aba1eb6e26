package org.pfmeter.exporter.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.pfmeter.exporter.Version;
import org.pfmeter.pf.os.NativeLayerException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

/**
 * {@code pfmeter}: the command line. Without a command it prints its help and exits with a usage
 * error: the daemon starts only as {@code pfmeter run}. Only this class exits the JVM.
 */
@Command(name = "pfmeter", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Reads OpenBSD's pf through /dev/pf and serves it as Prometheus metrics and JMX MXBeans. "
                + "The daemon is 'pfmeter run'; the other commands read pf or the accounting database once and exit.",
        subcommands = {RunCommand.class, ShowCommand.class, AbiCommand.class, RecordCommand.class, BillingCommand.class,
                UsageCommand.class, SimulateCommand.class, PasswdCommand.class, VerifyCommand.class, BillsCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:pf, the database or the daemon failed", "2:bad usage or configuration, or an unsupported OpenBSD release"})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before H2 loads (it reads this once): the daemon's read server (ReadServer, which lets
        // billing read while the daemon runs) listens on loopback only. pfmeter runs no other H2 server.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line and returns its exit code (tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        cl.setExecutionStrategy(Main::execute);
        cl.setParameterExceptionHandler(Main::badUsage);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // the native layer's message names the cause and the fixes: printed as it is, on one line
            commandLine.getErr().println("pfmeter: " + (ex instanceof NativeLayerException ? ex.getMessage() : ex));
            return ExitCodes.FAILED;
        });
        int code = cl.execute(args);
        o.flush();
        e.flush();
        return code;
    }

    /** Logging is set before the command runs (and before any logger exists): quiet unless this is the daemon. */
    private static int execute(ParseResult parsed) {
        if (!isDaemon(parsed)) {
            Logging.forCommand();
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    static boolean isDaemon(ParseResult parsed) {
        return parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof RunCommand;
    }

    /** picocli's message and usage, plus a hint when the daemon's options were given without {@code run}. */
    private static int badUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("pfmeter: " + ex.getMessage());
        if (cl.getCommandSpec().userObject() instanceof Main && args.length > 0 && isDaemonOption(args[0])) {
            err.println("pfmeter: the daemon's options go after its command, e.g. pfmeter run " + String.join(" ", args));
        }
        cl.usage(err);
        return ExitCodes.USAGE;
    }

    /** True for an option of {@code pfmeter run} ({@code --config}, {@code --simulate=true}, ...). */
    static boolean isDaemonOption(String arg) {
        return arg.startsWith("-") && new CommandLine(new RunCommand()).getCommandSpec().findOption(arg.split("=", 2)[0]) != null;
    }

    /** No command: the help, on stderr, and a usage error (a bare {@code pfmeter} never starts the daemon). */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("pfmeter: name a command; the daemon is 'pfmeter run'");
        spec.commandLine().usage(err);
        return ExitCodes.USAGE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.describe()};
        }
    }
}
