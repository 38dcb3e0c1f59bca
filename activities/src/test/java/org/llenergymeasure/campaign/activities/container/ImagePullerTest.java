package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

class ImagePullerTest {

  @Test
  void imageReferencesSplitIntoRepositoryAndTag() {
    assertEquals(
        "registry:5000/team/img|1.4",
        String.join("|", ImagePuller.splitReference("registry:5000/team/img:1.4")));
    assertEquals(
        "registry:5000/team/img|latest",
        String.join("|", ImagePuller.splitReference("registry:5000/team/img")));
    assertEquals("img|sha256:ab", String.join("|", ImagePuller.splitReference("img@sha256:ab")));
  }

  @Test
  void aMissingImageSaysHowToGetIt() {
    assertTrue(ImagePuller.howToGet("llem-probe:dev").contains("scripts/build-test-images"));
    assertTrue(
        ImagePuller.howToGet("team/model:1.0").contains("docker pull team/model:1.0"),
        ImagePuller.howToGet("team/model:1.0"));
  }

  @Test
  @Tag("docker")
  void aLocalImageIsUsedAsItIsAndAnUnpullableOneIsImageNotFound() throws Exception {
    try (DockerEngine engine = DockerEngine.fromEnvironment()) {
      ImagePuller images = new ImagePuller(engine);
      assertNotNull(images.ensure(TestImage.ensure()).getConfig());
      for (String missing : new String[] {"llem-test-missing:0", "example.invalid/team/m:1.0"}) {
        RunFailureException e =
            assertThrows(RunFailureException.class, () -> images.ensure(missing));
        assertEquals(FailureTypes.IMAGE_NOT_FOUND, e.type(), e.getMessage());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains(ImagePuller.howToGet(missing)), e.getMessage());
      }
    }
  }
}
