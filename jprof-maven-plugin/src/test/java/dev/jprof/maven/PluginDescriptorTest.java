package dev.jprof.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The descriptor that maven-plugin-plugin generated: the goals, Maven 3.8.1, and a description for every parameter. */
class PluginDescriptorTest {

    @Test
    void everyGoalAndParameterIsDocumentedAndMaven381Suffices()
            throws IOException, ParserConfigurationException, SAXException {
        Document plugin;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertThat(in).as("META-INF/maven/plugin.xml").isNotNull();
            plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        Element root = plugin.getDocumentElement();
        assertThat(text(root, "goalPrefix")).isEqualTo("jprof");
        assertThat(text(root, "requiredMavenVersion")).isEqualTo("3.8.1");

        List<String> goals = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        NodeList mojos = root.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = text(mojo, "goal");
            goals.add(goal);
            assertThat(text(mojo, "description"))
                    .as("description of goal %s", goal)
                    .isNotBlank();
            NodeList parameters =
                    ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int p = 0; p < parameters.getLength(); p++) {
                Element parameter = (Element) parameters.item(p);
                if (text(parameter, "description").isBlank()) {
                    undocumented.add(goal + ": " + text(parameter, "name"));
                }
            }
        }
        assertThat(goals).containsExactlyInAnyOrder("report-aggregate", "merge", "compare", "help");
        assertThat(undocumented).isEmpty();
    }

    private static String text(Element parent, String child) {
        NodeList nodes = parent.getElementsByTagName(child);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }
}
