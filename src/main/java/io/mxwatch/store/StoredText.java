package io.mxwatch.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes text from DNS and SMTP storable. PostgreSQL rejects U+0000 in {@code text} and in {@code
 * jsonb}, and a TXT record or an SMTP reply may contain it, so it is stored as U+2400 SYMBOL FOR
 * NULL, which shows where the NUL was. Every other character is kept.
 */
final class StoredText {
  static final char NUL = '\u0000';
  static final char NUL_SYMBOL = '\u2400';

  private StoredText() {}

  static String clean(String text) {
    return text == null ? null : text.replace(NUL, NUL_SYMBOL);
  }

  static String[] clean(List<String> texts) {
    return texts.stream().map(StoredText::clean).toArray(String[]::new);
  }

  /** Serialises a value to JSON with every NUL in keys and strings replaced. */
  static String json(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(cleanNode(mapper.valueToTree(value)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // A details value Jackson cannot serialise is kept as its text, never dropped.
      return json(mapper, Map.of("unserializable", String.valueOf(value)));
    }
  }

  private static JsonNode cleanNode(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(clean(node.textValue()));
    }
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      ObjectNode cleaned = object.objectNode();
      for (Map.Entry<String, JsonNode> field : fields) {
        cleaned.set(clean(field.getKey()), cleanNode(field.getValue()));
      }
      return cleaned;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode cleaned = array.arrayNode();
      array.forEach(element -> cleaned.add(cleanNode(element)));
      return cleaned;
    }
    return node;
  }
}
