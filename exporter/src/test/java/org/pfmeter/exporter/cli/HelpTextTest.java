package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every option and positional parameter of every command says what it is for in {@code --help}. */
class HelpTextTest {

    @Test
    void everyOptionAndParameterOfEveryCommandHasHelpText() {
        List<String> bare = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        walk(new CommandLine(new Main()).getCommandSpec(), bare, commands);
        assertThat(commands).contains("pfmeter", "pfmeter run", "pfmeter billing", "pfmeter usage", "pfmeter simulate",
                "pfmeter show", "pfmeter abi", "pfmeter record", "pfmeter passwd");
        assertThat(bare).as("options and parameters without a description (add description = \"...\")").isEmpty();
    }

    private static void walk(CommandSpec spec, List<String> bare, List<String> commands) {
        commands.add(spec.qualifiedName());
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec a : args) {
            String text = String.join(" ", a.description()).strip();
            if (text.isEmpty()) {
                bare.add(spec.qualifiedName() + " " + (a instanceof OptionSpec o ? o.longestName() : a.paramLabel()));
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            walk(sub.getCommandSpec(), bare, commands);
        }
    }
}
