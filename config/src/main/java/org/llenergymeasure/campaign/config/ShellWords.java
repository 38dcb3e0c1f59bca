package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command written as one string into words the way a POSIX shell would (single and double
 * quotes, backslash escapes), as Docker Compose does; no variables, globbing or pipes. A string
 * command is a convenience: the container gets an argument list either way.
 */
final class ShellWords {

  private ShellWords() {}

  static List<String> split(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
          cur.append(s.charAt(++i));
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < s.length()) {
          cur.append(s.charAt(++i));
        }
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "the command has an unclosed "
              + (quote == '"' ? "double" : "single")
              + " quote; close it, or write the command as a list of words");
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
