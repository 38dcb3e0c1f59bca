package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references against Docker's grammar, at validate, located at the `image` value. */
class ImageReferencesTest {

  private static final String HEX =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox",
        "busybox:1.36",
        "llem-probe:dev",
        "llenergymeasure/pytorch:1.4",
        "vllm/vllm-openai:v0.6.0",
        "nvcr.io/nvidia/pytorch:24.01-py3",
        "localhost:5000/a/b:1.0",
        "localhost/img",
        "registry.example.com:443/team/sub_team/img__x.y-z:Tag_1.0-rc",
        "GHCR.io/org/img",
        "[::1]:5000/img:dev",
        "ghcr.io/org/img@sha256:" + HEX,
        "img:tag@sha256:" + HEX,
        "a---b/c.d/e_f/g__h",
        "img@sha512:" + HEX + HEX,
      })
  void validReferences(String ref) {
    assertNull(ImageReferences.problem(ref), ref);
    Experiment e =
        Yamls.load(Yamls.oneExperiment().replace("img:1", "'" + ref + "'"))
            .campaign()
            .experiments()
            .get(0);
    assertEquals(ref, e.image());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          $(id)                | '$' is not allowed
          img;rm -rf /         | ';' is not allowed
          img\tx              | it contains a space
          Upper/case           | upper case is not allowed in a repository name (write `upper`)
          docker.io/Library/x  | upper case is not allowed in a repository name (write `library`)
          MyImage:1            | upper case is not allowed in a repository name (write `myimage`)
          img@sha256:short     | `sha256:short` is not a digest: a digest needs sha256:<64 hex> (lower-case hexadecimal digits; this has 5 characters)
          img@md5:abc          | the digest algorithm `md5` is not supported: a digest needs sha256:<64 hex>
          img@latest           | `latest` is not a digest: a digest needs sha256:<64 hex>
          img:                 | it ends with ':' but no tag follows
          :tag                 | it has no repository name before the tag
          a//b                 | it has an empty path component ('//')
          /abs                 | it starts with '/'
          img/                 | it ends with '/'
          -img                 | it starts with '-'
          img:tag with space   | it contains a space
          img:.hidden          | the tag `.hidden` is not valid
          a/b:c/d              | only the registry host (before the first '/') and the tag (after the last '/') may contain ':'
          img-/x               | the path component `img-` is not valid
          localhost:port/img   | the registry port `port` is not a number
          -bad.host/img        | it starts with '-'
          bad-.host/img        | the registry host `bad-.host` is not a host name
          vllm:{version}       | {axis} placeholders are not substituted in `image`
          café                 | the non-ASCII character 'é' is not allowed
          """)
  void invalidReferencesSayWhatIsWrong(String ref, String reason) {
    String problem = ImageReferences.problem(ref);
    String prefix = "`" + ref + "` is not an image reference: " + reason;
    assertEquals(true, problem != null && problem.startsWith(prefix), problem);
    assertEquals(true, problem.endsWith("; " + ImageReferences.FORM), problem);
  }

  @Test
  void nameLengthAndTheSixtyFourHexIdAreRefused() {
    String name256 = "a".repeat(256);
    assertEquals(
        "`"
            + name256
            + "` is not an image reference: the repository name has 256 characters; at most 255"
            + " are allowed; "
            + ImageReferences.FORM,
        ImageReferences.problem(name256));
    assertNull(ImageReferences.problem("a".repeat(255) + ":" + "t".repeat(128)));
    assertEquals(
        true, ImageReferences.problem("a".repeat(255) + ":" + "t".repeat(129)).contains("the tag"));
    assertEquals(true, ImageReferences.problem(HEX).contains("may not be 64 hexadecimal digits"));
  }

  @Test
  void refusedAtTheImageValueWhereverItIsWritten() {
    assertEquals(
        List.of(
            "4:12: experiments[0].image: `$(id)` is not an image reference: '$' is not allowed; "
                + ImageReferences.FORM),
        Yamls.errors(Yamls.oneExperiment().replace("img:1", "\"$(id)\"")));
    String grid =
        """
        campaign: c1
        defaults: {image: "Bad/Default"}
        grid:
          name: "e-{v}"
          axes:
            v:
              - {value: a, image: "ok:1"}
              - {value: b, image: "img@sha256:short"}
        """;
    List<String> errors = Yamls.errors(grid);
    assertEquals(2, errors.size(), String.join("\n", errors));
    assertEquals(
        true,
        errors.get(0).startsWith("2:19: defaults.image: `Bad/Default` is not an image reference"),
        errors.get(0));
    assertEquals(
        true,
        errors
            .get(1)
            .startsWith("8:27: grid.axes.v[1].image: `img@sha256:short` is not an image reference"),
        errors.get(1));
  }

  @Test
  void aPlaceholderInTheImageSaysWhereToPutTheImageInstead() {
    String grid =
        """
        campaign: c1
        grid:
          name: "e-{version}"
          base: {image: "vllm/vllm-openai:{version}"}
          axes:
            version: [v0.6.0, v0.7.0]
        """;
    assertEquals(
        List.of(
            "4:17: grid.base.image: `vllm/vllm-openai:{version}` is not an image reference:"
                + " {axis} placeholders are not substituted in `image` (only in name, command, env"
                + " values and labels); give each variant its image, e.g. {value: vllm, image:"
                + " \"vllm/vllm-openai:v0.6.0\"}; "
                + ImageReferences.FORM),
        Yamls.errors(grid));
  }
}
