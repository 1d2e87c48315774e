package dev.callflux.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.callflux.core.http.TwilioHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent (so importing it pins nothing but CallFlux), hence it repeats the project's version
 * literally: this keeps the two in step. {@link TwilioHttp#VERSION} is the project version Maven filtered in.
 */
class BomVersionTest {

    private static final Path BOM = Path.of("..", "bom", "pom.xml");

    @Test
    void bomVersionIsTheProjectVersion() throws Exception {
        assertThat(TwilioHttp.VERSION).as("version filtered into callflux.properties").isNotEqualTo("unknown");
        assertThat(child(bom().getDocumentElement(), "version"))
                .as("<version> of %s; change it together with the root pom's", BOM)
                .isEqualTo(TwilioHttp.VERSION);
    }

    @Test
    void bomManagesTheLibraryModulesAtTheProjectVersion() throws Exception {
        NodeList dependencies = bom().getElementsByTagName("dependency");
        List<String> managed = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            assertThat(child(d, "groupId")).isEqualTo("dev.callflux");
            assertThat(child(d, "version")).isEqualTo("${project.version}");
            managed.add(child(d, "artifactId"));
        }
        assertThat(managed).containsExactly("callflux-core", "callflux-reactor-adapter", "callflux-testkit", "callflux-kafka",
                "callflux-spring-boot-autoconfigure", "callflux-spring-boot-starter", "callflux-spring-boot-test");
    }

    private static Document bom() throws Exception {
        assertThat(BOM).as("run from the core module's directory, as Maven does").isRegularFile();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(BOM)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    /** The text of the element's direct child {@code name}. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) {
                return n.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getNodeName() + ">");
    }
}
