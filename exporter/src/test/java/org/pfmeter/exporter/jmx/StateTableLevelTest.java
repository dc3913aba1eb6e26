package org.pfmeter.exporter.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.exporter.jmx.StateTableLevel.CRITICAL;
import static org.pfmeter.exporter.jmx.StateTableLevel.NORMAL;
import static org.pfmeter.exporter.jmx.StateTableLevel.WARNING;

import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class StateTableLevelTest {

    static List<StateTableLevel> walk(double... usage) {
        List<StateTableLevel> out = new ArrayList<>();
        StateTableLevel l = NORMAL;
        for (double u : usage) {
            l = l.next(u, 80, 95, 5);
            out.add(l);
        }
        return out;
    }

    @Test
    void levelsAreEnteredAtTheirThresholdAndLeftOnlyBelowThemMinusTheHysteresis() {
        assertThat(walk(50, 79.9, 80, 77, 75.1, 74.9)).containsExactly(NORMAL, NORMAL, WARNING, WARNING, WARNING, NORMAL);
        assertThat(walk(96, 91, 90.5, 89.9, 76, 74)).containsExactly(CRITICAL, CRITICAL, CRITICAL, WARNING, WARNING, NORMAL);
        assertThat(walk(99, 10)).containsExactly(CRITICAL, NORMAL);
        assertThat(walk(70, 100, 70)).containsExactly(NORMAL, CRITICAL, NORMAL);
    }

    @Test
    void beanNamesQuoteWhateverALabelHolds() throws Exception {
        String nasty = "web, \"prod\"=*?:\\\n";
        ObjectName n = JmxPublisher.labelName("customers/acme", nasty);
        assertThat(ObjectName.unquote(n.getKeyProperty("name"))).isEqualTo(nasty);
        assertThat(ObjectName.unquote(n.getKeyProperty("anchor"))).isEqualTo("customers/acme");
        assertThat(n.isPattern()).isFalse();
        ObjectName main = JmxPublisher.tableName("", "bruteforce");
        assertThat(ObjectName.unquote(main.getKeyProperty("anchor"))).isEmpty();
        assertThat(JmxPublisher.queueName("em0", "std").getKeyProperty("type")).isEqualTo("Queue");
    }
}
