"""TEST DOUBLE of llenergymeasure's entry points (only ``container``)."""
