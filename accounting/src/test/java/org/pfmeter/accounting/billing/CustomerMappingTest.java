package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.LabelKey;

class CustomerMappingTest {

    private static final String FILE = """
            # customer = selector
            ACME Corp = web-acme
            ACME Corp = customers/acme:mail
            ACME Corp = glob:customers/acme:*
            Globex    = regex:globex-(www|mail)
            Globex    = glob:customers/globex*:*

            Initech   = label with = sign
            """;

    private static LabelKey main(String label) {
        return new LabelKey("", label);
    }

    @Test
    void exactNamesGlobsAndRegexesMatchQualifiedLabelNames() {
        CustomerMapping m = CustomerMapping.parse(FILE, "customers.conf");
        assertThat(m.customerOf(main("web-acme"))).contains("ACME Corp");
        assertThat(m.customerOf(new LabelKey("customers/acme", "mail"))).contains("ACME Corp");
        assertThat(m.customerOf(new LabelKey("customers/acme", "backup"))).contains("ACME Corp");
        assertThat(m.customerOf(main("globex-www"))).contains("Globex");
        assertThat(m.customerOf(main("globex-wwwx"))).isEmpty();             // a regex matches the whole name
        assertThat(m.customerOf(new LabelKey("customers/globex/web", "https"))).contains("Globex");
        assertThat(m.customerOf(main("label with = sign"))).contains("Initech");
        assertThat(m.customerOf(main("ssh"))).isEmpty();
        assertThat(m.customers()).containsExactly("ACME Corp", "Globex", "Initech");
    }

    @Test
    void globCharactersOtherThanStarAndQuestionMarkAreLiteral() {
        CustomerMapping m = CustomerMapping.of(Map.of("A", List.of("glob:web.(1)?")));
        assertThat(m.customerOf(main("web.(1)x"))).contains("A");
        assertThat(m.customerOf(main("webX(1)x"))).isEmpty();
    }

    @Test
    void theSameExactNameForTwoCustomersIsRefusedAtLoad() {
        assertThatThrownBy(() -> CustomerMapping.parse("A = web\nB = web\n", "c.conf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customer mapping overlaps")
                .hasMessageContaining("'A = web' (c.conf line 1)")
                .hasMessageContaining("'B = web' (c.conf line 2)");
        assertThatThrownBy(() -> CustomerMapping.parse("A = glob:web-*\nB = glob:web-*\n", "c.conf"))
                .hasMessageContaining("give the same selector to two customers");
    }

    @Test
    void patternsOfTwoCustomersClaimingOneLabelAreAnErrorNamingBoth() {
        CustomerMapping m = CustomerMapping.parse("A = glob:web-*\nB = regex:.*-acme\n", "c.conf");
        assertThat(m.customerOf(main("web-x"))).contains("A");
        assertThatThrownBy(() -> m.customerOf(main("web-acme")))
                .isInstanceOf(CustomerMapping.OverlappingMappingException.class)
                .hasMessageContaining("label 'web-acme' is matched by 'A = glob:web-*' (c.conf line 1) and 'B = regex:.*-acme' (c.conf line 2)");
        assertThatThrownBy(() -> m.validate(List.of(main("web-x"), main("web-acme"))))
                .isInstanceOf(CustomerMapping.OverlappingMappingException.class);
    }

    @Test
    void anExactNameWinsOverPatterns() {
        CustomerMapping m = CustomerMapping.parse("A = glob:web-*\nB = regex:.*-acme\nB = web-acme\n", "c.conf");
        assertThat(m.customerOf(main("web-acme"))).contains("B");
    }

    @Test
    void badLinesAreRefusedWithTheirLineNumber() {
        assertThatThrownBy(() -> CustomerMapping.parse("\n\nA web\n", "c.conf"))
                .hasMessage("c.conf line 3: expected 'customer = selector', got 'A web'");
        assertThatThrownBy(() -> CustomerMapping.parse("A = regex:web-(\n", "c.conf"))
                .hasMessageStartingWith("c.conf line 1: bad pattern for customer 'A'");
        assertThatThrownBy(() -> CustomerMapping.parse(" = web\n", "c.conf")).hasMessage("c.conf line 1: the customer name is empty");
        assertThatThrownBy(() -> CustomerMapping.parse("A = \n", "c.conf")).hasMessageContaining("selector for customer 'A' is empty");
    }
}
