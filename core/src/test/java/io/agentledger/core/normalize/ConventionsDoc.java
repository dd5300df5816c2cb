package io.agentledger.core.normalize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Renders {@link Conventions} as the generated blocks of {@code docs/normalization.md}. */
final class ConventionsDoc {

  private ConventionsDoc() {}

  static String begin(Conventions.Section section) {
    return "<!-- BEGIN GENERATED "
        + section.marker
        + ": rendered from Conventions.java by"
        + " NormalizationDocTest, do not edit -->";
  }

  static String end(Conventions.Section section) {
    return "<!-- END GENERATED " + section.marker + " -->";
  }

  /** The doc with every generated block replaced by what the table renders now. */
  static String renderInto(String doc) {
    String out = doc;
    for (Conventions.Section section : Conventions.Section.values()) {
      Pattern block =
          Pattern.compile(
              Pattern.quote(begin(section)) + ".*?" + Pattern.quote(end(section)), Pattern.DOTALL);
      Matcher m = block.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException(
            "docs/normalization.md lacks the block " + begin(section) + " … " + end(section));
      }
      out =
          m.replaceFirst(
              Matcher.quoteReplacement(begin(section) + "\n" + render(section) + end(section)));
    }
    return out;
  }

  /** One section's table. */
  static String render(Conventions.Section section) {
    StringBuilder md = new StringBuilder();
    md.append(
        section == Conventions.Section.TYPE
            ? "| order | keys | values |\n"
            : "| field | keys, in order (who sends them) | then |\n");
    md.append("|---|---|---|\n");
    for (Conventions.Field field : Conventions.ALL) {
      if (field.section != section) {
        continue;
      }
      String keys =
          field.keys.stream()
              .map(k -> "`" + k.name() + "` (" + k.emitters() + ")")
              .collect(Collectors.joining("<br>"));
      md.append("| ")
          .append(field.name)
          .append(" | ")
          .append(keys.isEmpty() ? "—" : keys)
          .append(" | ")
          .append(field.note)
          .append(" |\n");
    }
    return md.toString();
  }
}
